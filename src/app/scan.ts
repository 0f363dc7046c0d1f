/**
 * The scan use case: snapshots from a source, analysed, written to every sink. The same for files, live AWS and the
 * store; the caller (cli, lambda) picks the source and the sinks.
 */
import type { RunSummary } from '../findings/report';
import { type Severity, severityRank } from '../findings/types';
import { type Gap, isGap, isSkipped, type KeySnapshot, type Skipped, type SourceItem } from '../kms/snapshot';
import { type AnalysisOptions, analyseKey } from '../rules/engine';
import type { Sink } from '../sinks/sink';

export type FailOn = Severity | 'none';

export interface ScanOptions extends AnalysisOptions {
  /** Lowest severity that fails the run (exit 1); 'none' never fails on findings. */
  failOn: FailOn;
  /** Called once per key analysed (progress). */
  onKey?: (snapshot: KeySnapshot) => void;
}

export interface ScanResult {
  summary: RunSummary;
  gaps: Gap[];
  skipped: Skipped[];
  /** 2: an input could not be read; 1: a finding at or above failOn; 0: neither. */
  exitCode: 0 | 1 | 2;
}

export const EXIT = { ok: 0, findings: 1, inputError: 2 } as const;

export function exitCodeFor(
  hasInputErrors: boolean,
  findings: Array<{ severity: Severity; suppressed?: unknown }>,
  failOn: FailOn,
): 0 | 1 | 2 {
  if (hasInputErrors) return EXIT.inputError;
  if (failOn === 'none') return EXIT.ok;
  const threshold = severityRank(failOn);
  return findings.some((f) => !f.suppressed && severityRank(f.severity) >= threshold) ? EXIT.findings : EXIT.ok;
}

export async function scan(
  source: AsyncIterable<SourceItem>,
  sinks: Sink[],
  options: ScanOptions,
): Promise<ScanResult> {
  const gaps: Gap[] = [];
  const skipped: Skipped[] = [];
  const findings: Array<{ severity: Severity; suppressed?: unknown }> = [];
  for await (const item of source) {
    if (isGap(item)) {
      gaps.push(item);
      for (const sink of sinks) await sink.gap(item);
      continue;
    }
    if (isSkipped(item)) {
      skipped.push(item);
      continue;
    }
    const report = analyseKey(item, options);
    options.onKey?.(item);
    findings.push(...report.findings);
    for (const sink of sinks) await sink.write(report);
  }
  let summary: RunSummary | undefined;
  for (const sink of sinks) {
    const s = await sink.close();
    summary ??= s;
  }
  return {
    summary: summary ?? {
      keys: 0,
      findings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      unknown: 0,
      gaps: gaps.length,
    },
    gaps,
    skipped,
    exitCode: exitCodeFor(gaps.length > 0, findings, options.failOn),
  };
}
