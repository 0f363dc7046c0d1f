/**
 * The default terminal output: a colored table grouped by key. It buffers the run and prints it at close(), because
 * grouping (worst keys first, clean keys in one block, gaps last) needs the whole run.
 */
import type { Writable } from 'node:stream';
import pc from 'picocolors';
import type { KeyReport, RunSummary } from '../../findings/report';
import type { Gap } from '../../kms/snapshot';
import { ReportCollector, type Sink } from '../sink';
import { type ColorChoice, useColor, widthOf, writeText } from './output';
import { renderTable } from './table-render';

export interface TableOptions extends ColorChoice {
  /** Columns to lay the table out in; defaults to the terminal's width, else 120. */
  width?: number;
}

export class TableSink implements Sink {
  private readonly collector = new ReportCollector();

  constructor(
    private readonly out: Writable,
    private readonly options: TableOptions = {},
  ) {}

  async write(report: KeyReport): Promise<void> {
    this.collector.add(report);
  }

  async gap(gap: Gap): Promise<void> {
    this.collector.addGap(gap);
  }

  async close(): Promise<RunSummary> {
    const summary = this.collector.finish();
    const colors = pc.createColors(useColor(this.out, this.options));
    const width = this.options.width ?? widthOf(this.out);
    await writeText(this.out, renderTable(this.collector.reports, this.collector.gaps, summary, { colors, width }));
    return summary;
  }
}
