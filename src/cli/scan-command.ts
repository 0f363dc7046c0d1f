import { Writable } from 'node:stream';
import { Command, Option } from 'commander';
import pc from 'picocolors';
import { accessAnalyzerExtras } from '../app/access-analyzer';
import {
  addToJsonReport,
  addToTable,
  type IamSide,
  iamExtras,
  type KeyExtras,
  keyExtrasSink,
} from '../app/iam-explain';
import { findingsRecorder, liveSource, storeSource } from '../app/live';
import { scan } from '../app/scan';
import type { KeyReport } from '../findings/report';
import type { Gap, SourceItem } from '../kms/snapshot';
import { RULES } from '../rules/registry';
import { createFormatSink, FORMATS, type Format } from '../sinks/format';
import { useColor, widthOf } from '../sinks/format/output';
import type { Sink } from '../sinks/sink';
import {
  type AccessAnalyzerRegion,
  type AwsScanOptions,
  collectAws,
  collectIamSide,
  type IamAccountView,
  optionProblems,
  readAccessAnalyzerFindings,
} from '../sources/aws';
import { readFiles } from '../sources/files';
import type { Store } from '../store/store';
import { analysisOptionsFor } from './analysis-options';
import { createAwsProgress } from './aws-progress';
import { collectList, openOutput, parseAccountList, parseFailOn, parseOrgList, UsageError } from './common';
import { addTemplateOptions, templateInputOptions, withCiOptions } from './iac-options';
import { openStore } from './store-option';
import { VERSION } from './version';

export function describeGap(gap: Gap): string {
  const where = [gap.file, gap.account, gap.region, gap.key].filter(Boolean).join(' ');
  const at = gap.line ? `:${gap.line}${gap.column ? `:${gap.column}` : ''}` : '';
  const pointer = gap.pointer ? ` (at ${gap.pointer})` : '';
  return `${where}${at}: ${gap.reason}${pointer}`;
}

const positiveNumber = (name: string) => (value: string) => {
  const n = Number(value);
  if (!(n > 0)) throw new UsageError(`${name} must be a positive number, got ${value}`);
  return n;
};

/** Reads every item of a collector: the values, and the gaps (reported with the scan's own). */
async function readAll<T>(items: AsyncIterable<T | Gap>): Promise<{ values: T[]; gaps: Gap[] }> {
  const values: T[] = [];
  const gaps: Gap[] = [];
  for await (const item of items) {
    if (typeof item === 'object' && item !== null && (item as Gap).gap === true) gaps.push(item as Gap);
    else values.push(item as T);
  }
  return { values, gaps };
}

async function* withGaps(gaps: readonly Gap[], source: AsyncIterable<SourceItem>): AsyncGenerator<SourceItem> {
  yield* gaps;
  yield* source;
}

/** `--iam` and `--access-analyzer`: read what they need before the keys, and say what each key gets. */
async function crossChecks(opts: { iam?: boolean; accessAnalyzer?: boolean }, aws: AwsScanOptions) {
  const producers: Array<(report: KeyReport) => KeyExtras | undefined> = [];
  const gaps: Gap[] = [];
  const sides = new Map<string, IamSide>();
  if (opts.iam) {
    const iam = await readAll<IamAccountView>(collectIamSide(aws));
    gaps.push(...iam.gaps);
    producers.push(iamExtras(iam.values, {}, sides));
  }
  if (opts.accessAnalyzer) {
    const aa = await readAll<AccessAnalyzerRegion>(readAccessAnalyzerFindings(aws));
    gaps.push(...aa.gaps);
    producers.push(accessAnalyzerExtras(aa.values, (report) => sides.get(report.key.arn)?.reach, aa.gaps));
  }
  return { producers, gaps };
}

/** A stream that keeps what the format sink writes, so the cross-checks can be added before it is printed. */
function textBuffer(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

export function scanCommand(): Command {
  const command = new Command('scan')
    .description('Analyse KMS keys: snapshot files, bare key policies, folders of them, or live AWS accounts.')
    .argument('[paths...]', 'files or folders (keywarden.snapshot/v1 records, key policy JSON)')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...FORMATS]).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option(
      '--fail-on <severity>',
      'exit 1 when a finding is at or above this severity (critical, high, medium, low, info, none)',
      parseFailOn,
      'high',
    )
    .option(
      '--trusted-account <ids>',
      'accounts allowed to share keys (repeat or comma-separate)',
      parseAccountList,
      [],
    )
    .option('--trusted-org <ids>', 'AWS Organizations ids whose callers are trusted', parseOrgList, [])
    .option('-c, --config <file>', 'keywarden.yaml to use (default: ./keywarden.yaml when it exists)')
    .option('--account <id>', 'owner account of bare key policy files')
    .option('--no-color', 'no colors in the table')
    .option('-q, --quiet', 'no progress or skipped-file lines on stderr')
    .optionsGroup('Live AWS (standard credential chain: env, profile, SSO, roles):')
    .option('--aws', 'scan live AWS through the SDK instead of files')
    .option('--profile <name>', 'named AWS profile')
    .option(
      '--region <regions>',
      'region(s) to scan, comma-separated, or "all" (every region enabled for the account); for bare policy files: the region recorded',
    )
    .option('--org', 'scan every active account of the AWS Organization (from its management or a delegated account)')
    .option('--role <name>', 'role assumed in each member account with --org', 'OrganizationAccountAccessRole')
    .option('--external-id <id>', 'ExternalId for the --org role')
    .option('--accounts <ids>', 'only these accounts', parseAccountList)
    .option('--exclude-accounts <ids>', 'skip these accounts', parseAccountList)
    .option(
      '--quota-share <share>',
      'share of each KMS API quota the scan may use per account and region (0-1)',
      positiveNumber('--quota-share'),
      0.5,
    )
    .option('--max-rps <n>', 'cap on KMS requests per second per account and region', positiveNumber('--max-rps'))
    .option(
      '--iam',
      'also read the IAM side (users, roles, groups; SCPs and RCPs with --org) and add, per key, who can use, administer, grant and change it',
    )
    .option(
      '--access-analyzer',
      "compare each key's reach with the active IAM Access Analyzer findings where an analyzer exists",
    )
    .optionsGroup('Store:')
    .option('--db <path>', 'state store (SQLite) path; default $KEYWARDEN_DB or ~/.keywarden/keywarden.db')
    .option('--from-store', 'analyse the latest stored snapshots (of earlier --aws scans) offline')
    .option('--no-save', 'with --aws: do not save snapshots and findings to the store')
    .addHelpText(
      'after',
      `
Exit codes: 0 no finding at or above --fail-on; 1 a finding at or above it; 2 an input, account or region could not
be read, or the usage is wrong (every other input is still analysed and reported). A single refused call on a key
is an unknown finding on that key, not an exit 2.

The SDK's own settings apply: AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL(_KMS), AWS_MAX_ATTEMPTS, AWS_RETRY_MODE.

Examples:
  keywarden scan examples/demo-account
  keywarden scan policy.json --account 111122223333 --format sarif --output keywarden.sarif
  keywarden scan --aws --region all --format json -o report.json
  keywarden scan --aws --org --role Auditor --region eu-west-1,us-east-1
  keywarden scan --aws --iam --access-analyzer --format json -o report.json
  keywarden scan --from-store --trusted-account 444455556666`,
    )
    .action(async (paths: string[], opts) => {
      const modes = [paths.length > 0, Boolean(opts.aws), Boolean(opts.fromStore)].filter(Boolean).length;
      if (modes !== 1) throw new UsageError('give paths to scan, or --aws, or --from-store (exactly one of them)');
      const analysisOptions = analysisOptionsFor(opts);
      if ((opts.iam || opts.accessAnalyzer) && !opts.aws)
        throw new UsageError('--iam and --access-analyzer go with --aws');
      if (opts.account !== undefined && !/^\d{12}$/.test(opts.account))
        throw new UsageError(`--account: not a 12-digit AWS account id: ${opts.account}`);

      let store: Store | undefined;
      let source: AsyncIterable<SourceItem>;
      let stopProgress = () => {};
      const sinks: Sink[] = [];
      let extras: ReturnType<typeof keyExtrasSink> | undefined;
      if (opts.aws) {
        const regions: string[] | 'all' | undefined =
          opts.region === 'all' ? 'all' : opts.region ? collectList(opts.region) : undefined;
        const progress = createAwsProgress({
          quiet: opts.quiet,
          isTTY: Boolean(process.stderr.isTTY),
          stream: process.stderr,
        });
        stopProgress = progress.stop;
        const awsOptions = {
          profile: opts.profile,
          regions,
          org: opts.org,
          role: opts.role,
          externalId: opts.externalId,
          accounts: opts.accounts,
          excludeAccounts: opts.excludeAccounts,
          quotaShare: opts.quotaShare,
          maxRps: opts.maxRps,
          onProgress: progress.onProgress,
        };
        const problems = optionProblems(awsOptions);
        if (problems.length > 0) throw new UsageError(problems.join('; '));
        const checks = await crossChecks(opts, awsOptions);
        if (checks.producers.length > 0) extras = keyExtrasSink(checks.producers);
        if (opts.save !== false) store = openStore(opts.db);
        source = withGaps(checks.gaps, liveSource(collectAws(awsOptions), store));
      } else if (opts.fromStore) {
        store = openStore(opts.db);
        source = storeSource(store);
      } else {
        source = readFiles(paths, {
          account: opts.account,
          region: opts.region,
          cwd: process.cwd(),
          now: () => new Date().toISOString(),
          templates: templateInputOptions(opts),
        });
      }

      const out = openOutput(opts.output);
      // The cross-checks are added to the JSON report and the table once the format sink has written them.
      const buffer = extras && opts.format !== 'sarif' ? textBuffer() : undefined;
      if (extras && !buffer && !opts.quiet)
        process.stderr.write(
          'keywarden: --iam and --access-analyzer add to the table and JSON formats, not to SARIF\n',
        );
      const color = opts.color === false || out.isFile ? false : undefined;
      sinks.push(
        createFormatSink(opts.format as Format, buffer?.stream ?? out.stream, {
          tool: { name: 'keywarden', version: VERSION },
          color: buffer ? (color ?? useColor(out.stream)) : color,
          ...(buffer ? { width: widthOf(out.stream) } : {}),
          rules: RULES,
          sourceRoot: process.cwd(),
        }),
      );
      if (extras) sinks.unshift(extras.sink);
      if (store && opts.aws) sinks.push(findingsRecorder(store));
      try {
        const result = await withCiOptions(opts, scan)(source, sinks, { ...analysisOptions, failOn: opts.failOn });
        stopProgress();
        if (buffer && extras) {
          const text = buffer.text();
          const added = opts.format === 'json' ? addToJsonReport(text, extras.extras) : addToTable(text, extras.extras);
          await new Promise<void>((resolve, reject) => out.stream.write(added, (e) => (e ? reject(e) : resolve())));
        }
        await out.done();
        if (!opts.quiet)
          for (const s of result.skipped) process.stderr.write(`${pc.dim(`skipped ${s.file}: ${s.reason}`)}\n`);
        if (opts.format !== 'table' || out.isFile)
          for (const g of result.gaps) process.stderr.write(`keywarden: ${describeGap(g)}\n`);
        if (opts.fromStore && result.summary.keys === 0)
          process.stderr.write('keywarden: the store holds no snapshots yet: run `keywarden scan --aws` first\n');
        if (out.isFile && !opts.quiet) {
          const f = result.summary.findings;
          process.stderr.write(
            `keywarden: ${result.summary.keys} keys, ${f.critical} critical, ${f.high} high, ${f.medium} medium, ${f.low} low, ${f.info} info findings; report written to ${opts.output}\n`,
          );
        }
        process.exitCode = result.exitCode;
      } finally {
        stopProgress();
        await store?.close();
      }
    });
  return addTemplateOptions(command);
}
