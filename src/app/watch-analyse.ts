/**
 * The watch's analysis of a key as of an event (pure): the same reader and engine as every other door. A grant the
 * event added while the key's grants could not be listed is analysed on its own, so the event alone still shows it.
 */
import type { KeyReport } from '../findings/report';
import { type Finding, severityRank } from '../findings/types';
import { known } from '../kms/known';
import type { Grant } from '../kms/snapshot';
import type { RawSnapshot } from '../kms/snapshot-format';
import { readSnapshotRecord } from '../kms/snapshot-read';
import { type AnalysisOptions, analyseKey } from '../rules/engine';
import type { CloudTrailEvent } from '../trail/detect/event';
import { type EventGrant, effectOf } from './watch-events';
import { buildSnapshot } from './watch-snapshot';

/**
 * Analyses a record of key `keyArn`. The ARN is given, not read: a record whose DescribeKey failed still belongs to
 * its key, so its findings keep the key's ids.
 */
export function analyseRecord(
  raw: RawSnapshot,
  analysis: AnalysisOptions,
  keyArn: string,
  unlistedGrant?: EventGrant,
): KeyReport {
  const snapshot = { ...readSnapshotRecord(raw, { kind: 'event' }).snapshot, arn: keyArn };
  const report = analyseKey(snapshot, analysis);
  if (!unlistedGrant) return report;
  const grant = { ...unlistedGrant, GrantId: unlistedGrant.GrantId } as unknown as Grant;
  const alone = analyseKey({ ...snapshot, grants: known([grant]) }, analysis);
  const seen = new Set(report.findings.map((f) => f.id));
  const fromGrant = alone.findings.filter((f) => f.evidence.pointer === `grant:${grant.GrantId}` && !seen.has(f.id));
  return { ...report, findings: [...report.findings, ...fromGrant] };
}

/**
 * What a refused call would have caused: the critical and high findings of the change as if it had succeeded,
 * on the stored state of the key, that the stored state does not already have.
 */
export function attemptedFindings(
  event: CloudTrailEvent,
  keyArn: string,
  stored: RawSnapshot | undefined,
  analysis: AnalysisOptions,
  now: string,
): Finding[] {
  const asIfDone = effectOf({ ...event, errorCode: undefined, errorMessage: undefined });
  const changes =
    asIfDone.policy || asIfDone.grantAdded || asIfDone.metadata || asIfDone.newKey || asIfDone.rotation !== undefined;
  if (!changes) return [];
  const source = {
    keyArn,
    notFetched: 'not read for a refused call',
    ...(stored ? { stored: { snapshot: stored, asOf: '' } } : {}),
  };
  const before = stored ? analyseRecord(buildSnapshot(source, { notes: [] }, now).raw, analysis, keyArn).findings : [];
  const built = buildSnapshot(source, asIfDone, now);
  const after = analyseRecord(built.raw, analysis, keyArn, built.unlistedGrant).findings;
  const had = new Set(before.map((f) => f.id));
  return after.filter((f) => f.status === 'fail' && severityRank(f.severity) >= severityRank('high') && !had.has(f.id));
}
