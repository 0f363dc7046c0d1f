/**
 * Templates as scan input: each key of a CloudFormation/SAM template or a Terraform file becomes a KeySnapshot
 * (origin `template`, its logical id, positions in the file), and every error of the template a located Gap. The
 * file source calls `readTemplateInput` for each file; anything that is not a template is left to it.
 */
import type { Gap, KeySnapshot, SourceItem } from '../../kms/snapshot';
import { RULES } from '../../rules/registry';
import { detectTemplate } from './detect';
import { readTemplate } from './read';
import { keySnapshot, TEMPLATE_ACCOUNT, templateKeyArnForms } from './snapshot-key';
import { unknownRuleProblem, yamlCommentSuppressions } from './snapshot-suppress';
import type { TemplateKey, TemplateReadOptions, TemplateReadResult, TemplateSuppression } from './types';

export interface TemplateInputOptions {
  /** CloudFormation parameter values / Terraform variables (`--parameter`, `--parameters-file`). */
  parameters?: Record<string, string>;
  /** The account the templates deploy into (`--template-account`); else `{{AWS::AccountId}}`. */
  accountId?: string;
  region?: string;
  partition?: string;
}

/** Files a folder scan reads as possible templates, besides .json/.yaml/.yml. */
export const TEMPLATE_ONLY_EXTENSIONS = ['.tf', '.template'] as const;

/** Where a finding on this key may be suppressed inline, with where the suppression is written. */
export interface InlineSuppression extends TemplateSuppression {
  /** `Metadata.keywarden.suppress` or `# keywarden:suppress`. */
  written: string;
}

/** What a template says about its key beyond the KeySnapshot: inline suppressions, where the key is declared. */
export interface TemplateKeyFacts {
  suppressions: InlineSuppression[];
  location?: { line?: number; column?: number };
}

const facts = new WeakMap<KeySnapshot, TemplateKeyFacts>();

/** The template facts of a snapshot read from a template (undefined for any other snapshot). */
export function templateKeyFacts(snapshot: KeySnapshot): TemplateKeyFacts | undefined {
  return facts.get(snapshot);
}

const RULE_IDS = RULES.map((r) => r.id);

/** Cheap test before parsing: text that cannot be a template is left to the other readers untouched. */
function mayBeTemplate(text: string, fileName: string): boolean {
  if (/\.(tf|template)$/i.test(fileName)) return true;
  return /AWSTemplateFormatVersion|Resources|planned_values|resource_changes|format_version/.test(text);
}

/**
 * The snapshots and gaps of one file when it is a template; undefined when it is not (snapshot records, bare
 * policies and anything else stay with the caller). A `.tf`/`.template` file that is no template is skipped.
 */
export async function readTemplateInput(
  text: string,
  file: string,
  options: TemplateInputOptions & { now: () => string },
): Promise<SourceItem[] | undefined> {
  const templateOnly = /\.(tf|template)$/i.test(file);
  if (!mayBeTemplate(text, file) || detectTemplate(text, file) === undefined) {
    return templateOnly
      ? [{ skipped: true, file, reason: 'not a CloudFormation/SAM template or Terraform file' }]
      : undefined;
  }
  const readOptions = readOptionsOf(options);
  const result = await readTemplate(text, file, readOptions);
  return templateToSnapshots(result, text, { ...readOptions, collectedAt: options.now() });
}

const readOptionsOf = (options: TemplateInputOptions): TemplateReadOptions => ({
  ...(options.parameters ? { parameters: options.parameters } : {}),
  accountId: options.accountId ?? TEMPLATE_ACCOUNT,
  ...(options.region ? { region: options.region } : {}),
  ...(options.partition ? { partition: options.partition } : {}),
});

function gap(file: string, reason: string, where: { pointer?: string; line?: number; column?: number } = {}): Gap {
  return {
    gap: true,
    file,
    reason,
    ...(where.pointer !== undefined ? { pointer: where.pointer } : {}),
    ...(where.line !== undefined ? { line: where.line, column: where.column } : {}),
  };
}

function suppressionsOfKey(
  key: TemplateKey,
  result: TemplateReadResult,
  lines: readonly string[] | undefined,
  gaps: Gap[],
): InlineSuppression[] {
  const metadataPointer = `${key.location?.pointer ?? ''}/Metadata/keywarden/suppress`;
  const written = result.format === 'terraform-hcl' ? '# keywarden:suppress' : 'Metadata.keywarden.suppress';
  const found: InlineSuppression[] = key.suppressions.map((s) => ({ ...s, written }));
  if (lines) {
    const comments = yamlCommentSuppressions(lines, key);
    found.push(...comments.suppressions.map((s) => ({ ...s, written: '# keywarden:suppress' })));
    for (const p of comments.problems) gaps.push(gap(key.file, p.message, p));
  }
  return found.filter((s) => {
    const problem = unknownRuleProblem(s.rule, RULE_IDS);
    if (problem)
      gaps.push(
        gap(key.file, `${key.logicalId}: ${problem}`, {
          ...(s.written === 'Metadata.keywarden.suppress' ? { pointer: metadataPointer } : {}),
          ...(key.location?.line !== undefined ? { line: key.location.line, column: key.location.column } : {}),
        }),
      );
    return problem === undefined;
  });
}

/** A template key with its snapshot and the ways the template writes the key's ARN (`!GetAtt Key.Arn`...). */
export interface TemplateKeySnapshot {
  key: TemplateKey;
  snapshot: KeySnapshot;
  arnForms: string[];
}

/** A read template as source items: one snapshot per key, then one Gap per error (each located). */
export function templateToSnapshots(
  result: TemplateReadResult,
  text: string,
  options: TemplateReadOptions & { collectedAt: string },
): SourceItem[] {
  return templateKeySnapshots(result, text, options).items;
}

/** The snapshots of a read template with their keys, and the items a scan reads (snapshots, then gaps). */
export function templateKeySnapshots(
  result: TemplateReadResult,
  text: string,
  options: TemplateReadOptions & { collectedAt: string },
): { keys: TemplateKeySnapshot[]; items: SourceItem[] } {
  const keys: TemplateKeySnapshot[] = [];
  const items: SourceItem[] = [];
  const gaps: Gap[] = result.errors.map((e) => gap(e.file, e.message, e));
  const isYaml = (result.format === 'cloudformation' || result.format === 'sam') && !/^\s*\{/.test(text);
  const lines = isYaml ? text.split(/\r?\n/) : undefined;
  for (const key of result.keys) {
    const { snapshot, policyErrors } = keySnapshot(key, result, options);
    for (const e of policyErrors) {
      const where = key.locatePolicy(e.pointer);
      gaps.push(
        gap(key.file, `${key.logicalId}: the key policy is not valid: ${e.message}`, {
          pointer: where?.pointer ?? key.policyLocation?.pointer ?? e.pointer,
          line: where?.line ?? e.line,
          column: where?.column ?? e.column,
        }),
      );
    }
    facts.set(snapshot, {
      suppressions: suppressionsOfKey(key, result, lines, gaps),
      ...(key.location ? { location: { line: key.location.line, column: key.location.column } } : {}),
    });
    items.push(snapshot);
    keys.push({ key, snapshot, arnForms: templateKeyArnForms(key) });
  }
  return { keys, items: [...items, ...gaps] };
}

/** Reads one template for `explain`: its result, its keys as snapshots, and the gaps. */
export async function readTemplateKeys(
  text: string,
  file: string,
  options: TemplateInputOptions & { now: () => string },
): Promise<{ result: TemplateReadResult; keys: TemplateKeySnapshot[]; gaps: Gap[] } | undefined> {
  if (!mayBeTemplate(text, file) || detectTemplate(text, file) === undefined) return undefined;
  const readOptions = readOptionsOf(options);
  const result = await readTemplate(text, file, readOptions);
  const { keys, items } = templateKeySnapshots(result, text, { ...readOptions, collectedAt: options.now() });
  return { result, keys, gaps: items.filter((i): i is Gap => 'gap' in i) };
}
