/**
 * CLI options for infrastructure-as-code input and CI use, shared by `scan` (and `explain`): template parameters
 * and account, the baseline, and the wiring of inline suppressions. The logic lives in src/sources/iac and
 * src/app/baseline.ts; this file only reads options and files. See docs/iac.md and docs/ci.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import {
  type Baseline,
  baselineOf,
  type CiScanResult,
  parseBaseline,
  type ScanFunction,
  scanWithGate,
  serialiseBaseline,
} from '../app/baseline';
import type { ScanOptions } from '../app/scan';
import { type ClassInTemplate, type KeyAccessInTemplate, type Place, templateAccess } from '../app/template-access';
import type { Finding } from '../findings/types';
import type { IamAccessClass } from '../kms/bilateral-types';
import type { SourceItem } from '../kms/snapshot';
import { analyseKey } from '../rules/engine';
import type { Sink } from '../sinks/sink';
import { readTemplateKeys, type TemplateInputOptions, templateKeyFacts } from '../sources/iac/to-snapshots';
import { UsageError } from './common';

/** `--parameter Key=Value`, repeatable. */
export function parseParameter(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected Key=Value, got ${JSON.stringify(value)}`);
  return { ...previous, [value.slice(0, at).trim()]: value.slice(at + 1) };
}

const parseTemplateAccount = (value: string): string => {
  if (!/^\d{12}$/.test(value)) throw new InvalidArgumentError(`not a 12-digit AWS account id: ${value}`);
  return value;
};

/** Registers the template and CI options on a command. */
export function addTemplateOptions(command: Command): Command {
  command
    .optionsGroup('Templates (CloudFormation, SAM, Terraform):')
    .option(
      '--parameter <Key=Value>',
      'template parameter / Terraform variable value (repeatable; wins over --parameters-file)',
      parseParameter,
    )
    .option(
      '--parameters-file <file>',
      'CloudFormation parameters JSON: [{"ParameterKey": "K", "ParameterValue": "V"}] or {"Parameters": {"K": "V"}}',
    )
    .option(
      '--template-account <id>',
      'the account templates deploy into (else {{AWS-AccountId}}: any one account)',
      parseTemplateAccount,
    );
  command
    .optionsGroup('CI:')
    .option('--baseline <file>', 'fail only on findings that are not in this baseline (written by --write-baseline)')
    .option('--write-baseline <file>', 'write the findings of this run as the accepted baseline');
  return command;
}

/** The two shapes of a CloudFormation parameters file. */
export function parseParametersFile(text: string, file: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--parameters-file ${file}: not JSON (${(e as Error).message})`);
  }
  const out: Record<string, string> = {};
  const scalar = (v: unknown): v is string | number | boolean =>
    typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  if (Array.isArray(value)) {
    for (const [i, entry] of value.entries()) {
      const e = entry as { ParameterKey?: unknown; ParameterValue?: unknown; UsePreviousValue?: unknown };
      if (typeof e !== 'object' || e === null || typeof e.ParameterKey !== 'string')
        throw new UsageError(`--parameters-file ${file}: entry ${i} needs "ParameterKey" and "ParameterValue"`);
      if (e.UsePreviousValue === true && e.ParameterValue === undefined) continue; // the stack's value: unknown here
      if (!scalar(e.ParameterValue))
        throw new UsageError(`--parameters-file ${file}: entry ${i} (${e.ParameterKey}) needs a "ParameterValue"`);
      out[e.ParameterKey] = String(e.ParameterValue);
    }
    return out;
  }
  const parameters = (value as { Parameters?: unknown } | null)?.Parameters;
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters))
    throw new UsageError(
      `--parameters-file ${file}: expected [{"ParameterKey": "K", "ParameterValue": "V"}, ...] or {"Parameters": {"K": "V"}}`,
    );
  for (const [k, v] of Object.entries(parameters)) {
    if (Array.isArray(v) && v.every(scalar)) out[k] = v.join(',');
    else if (scalar(v)) out[k] = String(v);
    else throw new UsageError(`--parameters-file ${file}: Parameters.${k} must be a string`);
  }
  return out;
}

function readText(file: string, option: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${option} ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

interface TemplateOpts {
  parameter?: Record<string, string>;
  parametersFile?: string;
  templateAccount?: string;
  region?: string;
}

/** The template options of a command's parsed options. */
export function templateInputOptions(opts: TemplateOpts): TemplateInputOptions {
  const fromFile = opts.parametersFile
    ? parseParametersFile(readText(opts.parametersFile, '--parameters-file'), opts.parametersFile)
    : {};
  const parameters = { ...fromFile, ...(opts.parameter ?? {}) };
  const region = opts.region && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(opts.region) ? opts.region : undefined;
  return {
    ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
    ...(opts.templateAccount ? { accountId: opts.templateAccount } : {}),
    ...(region ? { region } : {}),
  };
}

interface CiOpts {
  baseline?: string;
  writeBaseline?: string;
  quiet?: boolean;
}

/**
 * `scan` with the CI gate: inline suppressions of templates, `--baseline`, `--write-baseline`. Returns a function
 * with scan's signature, so the command keeps calling its scan the way it did.
 */
export function withCiOptions(
  opts: CiOpts,
  scan: ScanFunction,
): (source: AsyncIterable<SourceItem>, sinks: Sink[], options: ScanOptions) => Promise<CiScanResult> {
  return async (source, sinks, options) => {
    let baseline: { file: string; baseline: Baseline } | undefined;
    if (opts.baseline) {
      const read = parseBaseline(readText(opts.baseline, '--baseline'), opts.baseline);
      if (!read.ok) throw new UsageError(read.message);
      baseline = { file: opts.baseline, baseline: read.baseline };
    }
    const result = await scanWithGate(scan, source, sinks, options, {
      templateFacts: templateKeyFacts,
      ...(baseline ? { baseline } : {}),
    });
    if (opts.writeBaseline) {
      try {
        writeFileSync(opts.writeBaseline, serialiseBaseline(baselineOf(result.current, new Date().toISOString())));
      } catch (e) {
        throw new UsageError(`--write-baseline ${opts.writeBaseline}: ${(e as Error).message}`);
      }
    }
    if (result.comparison && !opts.quiet) {
      const { added, unchanged, resolved } = result.comparison;
      process.stderr.write(
        `keywarden: baseline ${opts.baseline}: ${added.length} new finding(s), ${unchanged} already accepted, ${resolved.length} gone since\n`,
      );
      for (const f of added)
        process.stderr.write(
          `  new: [${f.severity}] ${f.rule} ${f.resource}${f.evidence.file ? ` (${f.evidence.file}${f.evidence.line ? `:${f.evidence.line}` : ''})` : ''}: ${f.title}\n`,
        );
    }
    return result;
  };
}

const CLASS_HEADINGS: Array<[IamAccessClass, string]> = [
  ['use', 'can use the key (cryptographic operations)'],
  ['admin', 'can administer the key'],
  ['grant', 'can create, retire or revoke grants'],
  ['policy', 'can change the key policy'],
];

const at = (place: Place | undefined): string =>
  place?.line !== undefined ? ` (${basename(place.file)}:${place.line})` : '';

const short = (actions: readonly string[]): string =>
  actions.length > 6 ? `${actions.slice(0, 6).join(', ')} +${actions.length - 6} more` : actions.join(', ');

function because(c: ClassInTemplate): string[] {
  const lines = c.because.keyPolicy.map((k) => {
    if (k.grant) return `grant ${k.grant} in the template`;
    const name = `key policy statement ${k.sid ? `"${k.sid}"` : k.pointer}${at(k.at)}`;
    return k.throughAccountRoot ? `${name} lets IAM decide (it names the account root)` : `${name} names it`;
  });
  for (const p of c.because.iamPolicies) lines.push(`and ${p.description}${at(p.at)} allows it`);
  return lines;
}

/** The plain-language answer for one key: who in the template can use and administer it, and why. */
export function describeKeyAccess(access: KeyAccessInTemplate, findings: readonly Finding[]): string[] {
  const aliases = access.aliases.length > 0 ? ` (${access.aliases.join(', ')})` : '';
  const lines = [`Key ${access.logicalId}${aliases}${at(access.at)}`];
  if (access.unknownReason) return [...lines, `  Nothing can be said: ${access.unknownReason}.`];
  for (const [cls, heading] of CLASS_HEADINGS) {
    const who = access.principals.filter((p) => p.access[cls]);
    lines.push(`  In this template, who ${heading}:${who.length === 0 ? ' nobody' : ''}`);
    for (const p of who) {
      const c = p.access[cls]!;
      lines.push(`    - ${p.label}: ${short(c.actions)}${c.conditional ? ' (with conditions)' : ''}`);
      for (const b of because(c)) lines.push(`        ${b}`);
      if (c.unknownActions.length > 0) lines.push(`        not known for: ${short(c.unknownActions)}`);
    }
  }
  const roots = access.rootStatements.map((s) => `${s.sid ? `"${s.sid}"` : s.pointer}${at(s.at)}`);
  lines.push(
    '  What the account-root statement means:',
    ...(roots.length > 0
      ? [
          `    Statement ${roots.join(', ')} names the account root. That is not the root user alone: it lets IAM decide.`,
          '    A role or user of the account can do on this key what its own IAM policies allow; the template roles',
          '    and functions above get exactly what their policies in the template allow. Roles created outside the',
          '    template get what their IAM policies allow too: the template cannot show them.',
        ]
      : [
          '    The key policy does not name the account root: only the principals it names get access, whatever IAM says.',
        ]),
  );
  if (access.notes.length > 0)
    lines.push('  Not in the template (access may be larger):', ...access.notes.map((n) => `    - ${n}`));
  lines.push(findings.length === 0 ? '  Findings: none.' : '  Findings:');
  for (const f of findings)
    lines.push(
      `    - [${f.severity}] ${f.rule}: ${f.title}${f.evidence.line ? ` (line ${f.evidence.line})` : ''}${f.suppressed ? ` (suppressed: ${f.suppressed.reason})` : ''}`,
    );
  return lines;
}

interface ExplainOpts extends TemplateOpts {
  account?: string;
  trustedAccount?: string[];
  trustedOrg?: string[];
  format?: string;
}

/**
 * `explain` on a template (parameters take their defaults; `--account` names the account it deploys into): the exit
 * code once it is explained, or undefined when the file is no template, to let explain go on.
 */
export async function explainTemplate(file: string, opts: ExplainOpts): Promise<number | undefined> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined; // a folder, or unreadable: explain's own reading reports it
  }
  const input = templateInputOptions({ ...opts, templateAccount: opts.templateAccount ?? opts.account });
  const read = await readTemplateKeys(text, file, { ...input, now: () => new Date().toISOString() });
  if (!read) return undefined;
  for (const g of read.gaps)
    process.stderr.write(`keywarden: ${g.file}${g.line ? `:${g.line}:${g.column ?? 1}` : ''}: ${g.reason}\n`);
  const trusted = { accounts: opts.trustedAccount ?? [], organizations: opts.trustedOrg ?? [], orgPaths: [] };
  const accesses = templateAccess(read.result, read.keys);
  const explained = read.keys.map((k, i) => {
    const report = analyseKey(k.snapshot, { trusted });
    const suppressions = templateKeyFacts(k.snapshot)?.suppressions ?? [];
    const findings = report.findings.map((f) => {
      const s = f.suppressed ? undefined : suppressions.find((x) => x.rule === f.rule);
      return s ? { ...f, suppressed: { reason: `${s.written}: ${s.reason}` } } : f;
    });
    return { access: accesses[i]!, findings };
  });
  if (opts.format === 'json') {
    process.stdout.write(
      `${JSON.stringify({ file, format: read.result.format, account: read.result.account, keys: explained }, null, 2)}\n`,
    );
  } else {
    const head = `Template ${file} (${read.result.format}), deploying into account ${read.result.account}${(opts.templateAccount ?? opts.account) ? '' : ' (any account: pass --template-account ID to name it)'}`;
    const body = explained.flatMap((e) => ['', ...describeKeyAccess(e.access, e.findings)]);
    process.stdout.write(
      `${[head, ...(read.keys.length === 0 ? ['', 'No KMS key in this template.'] : body)].join('\n')}\n`,
    );
  }
  return read.gaps.length > 0 ? 2 : 0;
}
