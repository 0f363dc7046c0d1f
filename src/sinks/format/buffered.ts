/**
 * The formats that need the whole run (grouping, sorting, one document) keep every report and gap and write once,
 * at close(). Each format is only its render function.
 */
import type { Writable } from 'node:stream';
import type { KeyReport, RunSummary } from '../../findings/report';
import type { Gap } from '../../kms/snapshot';
import { ReportCollector, type Sink } from '../sink';
import { writeText } from './output';

export type Render = (reports: readonly KeyReport[], gaps: readonly Gap[], summary: RunSummary) => string;

export class BufferedSink implements Sink {
  private readonly collector = new ReportCollector();

  constructor(
    private readonly out: Writable,
    private readonly render: Render,
  ) {}

  async write(report: KeyReport): Promise<void> {
    this.collector.add(report);
  }

  async gap(gap: Gap): Promise<void> {
    this.collector.addGap(gap);
  }

  async close(): Promise<RunSummary> {
    const summary = this.collector.finish();
    await writeText(this.out, this.render(this.collector.reports, this.collector.gaps, summary));
    return summary;
  }
}
