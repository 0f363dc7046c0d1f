/**
 * CLI options for infrastructure-as-code input and CI use, shared by `scan` (and `explain`): template parameters
 * and account, the baseline, and the wiring of inline suppressions. The logic lives in src/sources/iac and
 * src/app/baseline.ts; this file only reads options and files. See docs/iac.md and docs/ci.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
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
import type { SourceItem } from '../kms/snapshot';
import type { Sink } from '../sinks/sink';
import { type TemplateInputOptions, templateKeyFacts } from '../sources/iac/to-snapshots';
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
export function addTemplateOptions(command: Command, ci = true): Command {
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
  if (ci)
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
