/**
 * One ordering for every output, so the same run always prints the same bytes: keys by ARN, findings by severity
 * (worst first) then rule then id, gaps by where they happened.
 */
import type { KeyReport } from '../findings/report';
import { type Finding, severityRank } from '../findings/types';
import type { Gap } from '../kms/snapshot';

const text = (a: string | undefined, b: string | undefined): number => {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
};

export const compareFindings = (a: Finding, b: Finding): number =>
  severityRank(b.severity) - severityRank(a.severity) ||
  text(a.rule, b.rule) ||
  text(a.resource, b.resource) ||
  text(a.id, b.id);

export const sortFindings = (findings: readonly Finding[]): Finding[] => [...findings].sort(compareFindings);

export const compareReports = (a: KeyReport, b: KeyReport): number =>
  text(a.key.arn, b.key.arn) || text(a.key.origin.file, b.key.origin.file);

export const sortReports = (reports: readonly KeyReport[]): KeyReport[] => [...reports].sort(compareReports);

export const compareGaps = (a: Gap, b: Gap): number =>
  text(a.account, b.account) ||
  text(a.region, b.region) ||
  text(a.key, b.key) ||
  text(a.file, b.file) ||
  (a.line ?? 0) - (b.line ?? 0) ||
  text(a.pointer, b.pointer) ||
  text(a.reason, b.reason);

export const sortGaps = (gaps: readonly Gap[]): Gap[] => [...gaps].sort(compareGaps);

/** Sorted copy of a string map (tags, encryption context) so its keys print in one order. */
export const sortedRecord = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => text(a, b)));

/** The worst severity among the findings that count (not suppressed), or undefined when none. */
export const worstFinding = (findings: readonly Finding[]): Finding | undefined =>
  sortFindings(findings.filter((f) => !f.suppressed))[0];
