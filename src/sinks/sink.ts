/**
 * The Sink contract: every output of a run (terminal table, JSON, SARIF, store, notifiers) receives the KeyReports
 * one by one, every Gap the sources hit, and is closed once at the end, returning the run's totals.
 */
import type { KeyReport, RunSummary } from '../findings/report';
import { SEVERITIES, type Severity } from '../findings/types';
import type { Gap } from '../kms/snapshot';

export interface Sink {
  write(report: KeyReport): Promise<void>;
  gap(gap: Gap): Promise<void>;
  /** Flushes what the sink holds and returns the totals. A sink never ends a stream it did not open. */
  close(): Promise<RunSummary>;
}

/** Zero for every severity. */
export const emptySeverityCounts = (): Record<Severity, number> =>
  Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;

/**
 * Totals of a run. Suppressed findings are reported but counted nowhere: they never fail a run.
 * `findings` counts every other finding by severity, `fail` and `unknown` alike (unknown findings count at their
 * severity); `unknown` counts those among them whose status is `unknown`.
 */
export function summarize(reports: readonly KeyReport[], gaps: number | readonly Gap[]): RunSummary {
  const findings = emptySeverityCounts();
  let unknown = 0;
  for (const report of reports) {
    for (const finding of report.findings) {
      if (finding.suppressed) continue;
      findings[finding.severity] += 1;
      if (finding.status === 'unknown') unknown += 1;
    }
  }
  return { keys: reports.length, findings, unknown, gaps: typeof gaps === 'number' ? gaps : gaps.length };
}

/** Keeps what a buffering sink received, in arrival order; `close()` implementations read it once. */
export class ReportCollector {
  readonly reports: KeyReport[] = [];
  readonly gaps: Gap[] = [];
  private closed = false;

  add(report: KeyReport): void {
    this.assertOpen();
    this.reports.push(report);
  }

  addGap(gap: Gap): void {
    this.assertOpen();
    this.gaps.push(gap);
  }

  /** Marks the collector closed and returns the totals. */
  finish(): RunSummary {
    this.assertOpen();
    this.closed = true;
    return summarize(this.reports, this.gaps);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('this sink is already closed: create a new sink for another run');
  }
}
