/**
 * Picks the output format. The caller (CLI) owns the stream: stdout, or a file it opened for `--output FILE`.
 */
import type { Writable } from 'node:stream';
import type { Sink } from '../sink';
import { JsonSink, type ToolInfo } from './json';
import { SarifSink } from './sarif';
import type { RuleDoc } from './sarif-rules';
import { TableSink } from './table';

export const FORMATS = ['table', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface FormatOptions {
  tool: ToolInfo & { informationUri?: string };
  /** table: force colors on or off; undefined = on for a terminal unless NO_COLOR is set. */
  color?: boolean;
  /** table: environment to read NO_COLOR / FORCE_COLOR from (defaults to the process environment). */
  env?: Record<string, string | undefined>;
  /** table: layout width (defaults to the terminal's, else 120). */
  width?: number;
  /** json: the time stamped on the report (defaults to now). */
  generatedAt?: string;
  /** sarif: the documentation of every rule (the rule registry). */
  rules?: readonly RuleDoc[];
  /** sarif: absolute paths under this directory become relative (pass the working directory). */
  sourceRoot?: string;
}

export const isFormat = (value: string): value is Format => (FORMATS as readonly string[]).includes(value);

export function createFormatSink(format: Format, out: Writable, options: FormatOptions): Sink {
  switch (format) {
    case 'table':
      return new TableSink(out, { color: options.color, env: options.env, width: options.width });
    case 'json':
      return new JsonSink(out, { tool: options.tool, generatedAt: options.generatedAt });
    case 'sarif':
      return new SarifSink(out, { tool: options.tool, rules: options.rules, sourceRoot: options.sourceRoot });
    default: {
      const never: never = format;
      throw new Error(`unknown format "${String(never)}": use one of ${FORMATS.join(', ')}`);
    }
  }
}

export type { ToolInfo } from './json';
export type { RuleDoc } from './sarif-rules';
