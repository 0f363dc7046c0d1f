/** Shared helpers of the template-scan tests: read a template as the scan does, analyse its keys. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Gap, isGap, isSkipped, type KeySnapshot, type SourceItem } from '../../src/kms/snapshot';
import { analyseKey, NO_TRUST } from '../../src/rules/engine';
import { readTemplateInput, type TemplateInputOptions } from '../../src/sources/iac/to-snapshots';

export const ROOT = join(import.meta.dirname, '..', '..');
export const EXAMPLES = join(ROOT, 'examples', 'templates');
export const NOW = '2025-06-01T00:00:00.000Z';

export const example = (name: string): string => readFileSync(join(EXAMPLES, name), 'utf8');

export async function items(text: string, file = 'template.yaml', options: TemplateInputOptions = {}) {
  const read = await readTemplateInput(text, file, { ...options, now: () => NOW });
  if (!read) throw new Error(`${file} was not read as a template`);
  return read;
}

export const snapshots = (list: SourceItem[]): KeySnapshot[] =>
  list.filter((i): i is KeySnapshot => !isGap(i) && !isSkipped(i));
export const gaps = (list: SourceItem[]): Gap[] => list.filter(isGap);

export function snapshotOf(list: SourceItem[], logicalId: string): KeySnapshot {
  const found = snapshots(list).find((s) => s.origin.logicalId === logicalId);
  if (!found) throw new Error(`no key ${logicalId}`);
  return found;
}

export const analyse = (snapshot: KeySnapshot) => analyseKey(snapshot, { trusted: NO_TRUST });

/** A one-key CloudFormation template with the given key properties (YAML, indented under Properties). */
export const oneKey = (properties: string, extra = ''): string => `AWSTemplateFormatVersion: "2010-09-09"
${extra}Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
${properties}`;
