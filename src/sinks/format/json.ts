/**
 * `--format json`: the versioned JSON report `keywarden.report/v1`, described by schemas/report.v1.json.
 * Deterministic: keys by ARN, findings by severity then rule then id, gaps by place; only `generatedAt` varies.
 */
import type { Writable } from 'node:stream';
import type { KeyReport, RunSummary } from '../../findings/report';
import type { Gap } from '../../kms/snapshot';
import { sortGaps, sortReports } from '../order';
import { summarize } from '../sink';
import { BufferedSink } from './buffered';
import { type JsonKey, jsonKey } from './json-key';

export const REPORT_FORMAT = 'keywarden.report/v1';

export interface ToolInfo {
  name: string;
  version: string;
}

export interface JsonOptions {
  tool: ToolInfo;
  /** ISO time stamped on the report; defaults to now. */
  generatedAt?: string;
}

export interface JsonGap {
  account?: string;
  region?: string;
  key?: string;
  file?: string;
  line?: number;
  column?: number;
  pointer?: string;
  reason: string;
}

export interface JsonReport {
  format: typeof REPORT_FORMAT;
  generatedAt: string;
  tool: ToolInfo;
  keys: JsonKey[];
  gaps: JsonGap[];
  summary: RunSummary;
}

function jsonGap(gap: Gap): JsonGap {
  const { account, region, key, file, line, column, pointer, reason } = gap;
  const entries = Object.entries({ account, region, key, file, line, column, pointer, reason });
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as unknown as JsonGap;
}

/** The report as a value (pure). */
export function toJsonReport(reports: readonly KeyReport[], gaps: readonly Gap[], options: JsonOptions): JsonReport {
  return {
    format: REPORT_FORMAT,
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    tool: { name: options.tool.name, version: options.tool.version },
    keys: sortReports(reports).map(jsonKey),
    gaps: sortGaps(gaps).map(jsonGap),
    summary: summarize(reports, gaps),
  };
}

export class JsonSink extends BufferedSink {
  constructor(out: Writable, options: JsonOptions) {
    super(out, (reports, gaps) => `${JSON.stringify(toJsonReport(reports, gaps, options), null, 2)}\n`);
  }
}
