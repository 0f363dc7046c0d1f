/** Shared by the config tests: keywarden.yaml text to options, scenario snapshots to reports. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parseConfigText, toAnalysisOptions } from '../../src/config';
import type { KeyReport } from '../../src/findings/report';
import { readSnapshotRecord } from '../../src/kms/snapshot-read';
import { type AnalysisOptions, analyseKey } from '../../src/rules/engine';

export const DIR = join(import.meta.dirname, 'scenarios');
export const NOW = new Date('2026-11-20T10:00:00Z');

export function optionsFrom(text: string, now = NOW): AnalysisOptions {
  const parsed = parseConfigText(text);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}: ${e.path}: ${e.message}`).join('\n'));
  return toAnalysisOptions(parsed.config, now);
}

export const config = (name: string) => optionsFrom(readFileSync(join(DIR, `${name}.keywarden.yaml`), 'utf8'));

export function judge(file: string, options: AnalysisOptions): KeyReport {
  const { snapshot, errors } = readSnapshotRecord(JSON.parse(readFileSync(join(DIR, file), 'utf8')), {
    kind: 'file',
    file,
  });
  expect(errors).toEqual([]);
  return analyseKey(snapshot, options);
}
