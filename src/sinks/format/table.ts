/**
 * The default terminal output: a colored table grouped by key. It buffers the run and prints it at close(), because
 * grouping (worst keys first, clean keys in one block, gaps last) needs the whole run.
 */
import type { Writable } from 'node:stream';
import pc from 'picocolors';
import { BufferedSink } from './buffered';
import { type ColorChoice, useColor, widthOf } from './output';
import { renderTable } from './table-render';

export interface TableOptions extends ColorChoice {
  /** Columns to lay the table out in; defaults to the terminal's width, else 120. */
  width?: number;
}

export class TableSink extends BufferedSink {
  constructor(out: Writable, options: TableOptions = {}) {
    super(out, (reports, gaps, summary) =>
      renderTable(reports, gaps, summary, {
        colors: pc.createColors(useColor(out, options)),
        width: options.width ?? widthOf(out),
      }),
    );
  }
}
