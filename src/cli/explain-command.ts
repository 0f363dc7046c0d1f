import { Command, Option } from 'commander';
import { explainIamSide, iamJson, iamSideOf, keyMatches, parseKeyReference } from '../app/iam-explain';
import { liveSource } from '../app/live';
import { explainAccess } from '../kms/explain';
import { type Gap, isGap, isSkipped, type KeySnapshot } from '../kms/snapshot';
import { analyseKey } from '../rules/engine';
import { type AwsScanOptions, collectAws, collectIamSide, type IamAccountView, optionProblems } from '../sources/aws';
import { readFiles } from '../sources/files';
import { analysisOptionsFor } from './analysis-options';
import { parseAccountList, parseOrgList, UsageError } from './common';
import { explainTemplate } from './iac-options';
import { describeGap } from './scan-command';

type ExplainOptions = {
  config?: string;
  account?: string;
  trustedAccount: string[];
  trustedOrg: string[];
  format: 'text' | 'json';
  aws?: string;
  profile?: string;
  region?: string;
  org?: boolean;
  role?: string;
  externalId?: string;
};

const trustOf = (opts: ExplainOptions) => analysisOptionsFor({ ...opts, quiet: true });

function findingLines(findings: ReturnType<typeof analyseKey>['findings']): string[] {
  const lines = ['', findings.length === 0 ? 'Findings: none.' : 'Findings:'];
  for (const f of findings) lines.push(`  - [${f.severity}] ${f.rule}: ${f.title}`);
  return lines;
}

/** `explain --aws KEY`: the key as AWS has it, then its IAM side (users, roles, boundaries, SCPs, RCPs). */
async function explainAws(opts: ExplainOptions): Promise<number> {
  const ref = opts.aws ?? '';
  const place = parseKeyReference(ref);
  if (!place)
    throw new UsageError(
      `--aws: not a KMS key ARN, alias ARN, key id or alias name: ${ref} (example: arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab or alias/my-key)`,
    );
  const region = place.region ?? opts.region;
  const base: AwsScanOptions = {
    profile: opts.profile,
    org: opts.org,
    role: opts.role,
    externalId: opts.externalId,
    ...(region ? { regions: [region] } : {}),
  };
  const problems = optionProblems(base);
  if (problems.length > 0) throw new UsageError(problems.join('; '));

  const gaps: Gap[] = [];
  let key: KeySnapshot | undefined;
  const keyScope = opts.org && place.account ? { ...base, accounts: [place.account] } : base;
  for await (const item of liveSource(collectAws(keyScope))) {
    if (isGap(item)) gaps.push(item);
    else if (!isSkipped(item) && keyMatches(item, ref)) key = item;
  }
  const own = key ? gaps.filter((g) => !g.key || g.key === key?.arn) : gaps;
  for (const g of own) process.stderr.write(`keywarden: ${describeGap(g)}\n`);
  if (!key) {
    const where = [
      place.account ? `account ${place.account}` : "the caller's account",
      region ? `region ${region}` : 'the configured region',
    ];
    process.stderr.write(
      `keywarden: key ${ref} was not found in ${where.join(', ')}: check the key ARN or alias, --region and --profile${place.account && !opts.org ? " (a key of another account needs that account's --profile, or --org)" : ''}\n`,
    );
    return 2;
  }

  const report = analyseKey(key, trustOf(opts));
  const views: IamAccountView[] = [];
  const iamGaps: Gap[] = [];
  for await (const item of collectIamSide(opts.org ? { ...base, accounts: [key.account] } : base)) {
    if ('gap' in item) iamGaps.push(item);
    else views.push(item);
  }
  for (const g of iamGaps) process.stderr.write(`keywarden: ${describeGap(g)}\n`);
  // With --org, the outside accounts the key names are read too when they are members (their users and roles
  // count); one that is not a member, or cannot be read, is expected: a note, not a failure.
  const outside = opts.org ? report.access.externalAccounts.filter((a) => a !== key?.account) : [];
  if (outside.length > 0)
    for await (const item of collectIamSide({ ...base, accounts: outside })) {
      if ('gap' in item)
        process.stderr.write(`keywarden: note: IAM side of an outside account not read: ${describeGap(item)}\n`);
      else views.push(item);
    }
  const side = iamSideOf(report, views);
  if (opts.format === 'json') {
    const json = { key: key.arn, access: report.access, iam: iamJson(side), findings: report.findings };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    const lines = [...explainAccess(key, report.access), ...explainIamSide(side), ...findingLines(report.findings)];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return own.length > 0 || iamGaps.length > 0 ? 2 : 0;
}

async function explainFile(file: string, opts: ExplainOptions): Promise<number> {
  const templateExit = await explainTemplate(file, opts);
  if (templateExit !== undefined) return templateExit;
  let explained = 0;
  let failed = false;
  for await (const item of readFiles([file], {
    account: opts.account,
    cwd: process.cwd(),
    now: () => new Date().toISOString(),
  })) {
    if (isGap(item)) {
      process.stderr.write(`keywarden: ${describeGap(item)}\n`);
      failed = true;
      continue;
    }
    if (isSkipped(item)) throw new UsageError(`${item.file}: ${item.reason}`);
    const report = analyseKey(item, trustOf(opts));
    explained++;
    if (opts.format === 'json') {
      process.stdout.write(
        `${JSON.stringify({ key: item.arn, access: report.access, findings: report.findings }, null, 2)}\n`,
      );
      continue;
    }
    const lines = [...explainAccess(item, report.access), ...findingLines(report.findings)];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (explained === 0 && !failed) throw new UsageError(`${file}: nothing to explain`);
  return failed ? 2 : 0;
}

export function explainCommand(): Command {
  return new Command('explain')
    .description('Tell in plain language who can use, administer, grant and change a key, and why.')
    .argument('[file]', 'a keywarden.snapshot/v1 file or a key policy JSON file')
    .option('--account <id>', 'owner account of a bare key policy')
    .option('--trusted-account <ids>', 'accounts allowed to share keys', parseAccountList, [])
    .option('--trusted-org <ids>', 'trusted AWS Organizations ids', parseOrgList, [])
    .option('-c, --config <file>', 'keywarden.yaml to use (default: ./keywarden.yaml when it exists)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .optionsGroup('Live AWS (standard credential chain: env, profile, SSO, roles):')
    .option('--aws <key>', 'explain a live key (key ARN, alias ARN, key id or alias/NAME) with its IAM side')
    .option('--profile <name>', 'named AWS profile')
    .option('--region <region>', 'region of a key given by id or alias name (an ARN names its own)')
    .option(
      '--org',
      'also read the SCPs and RCPs above the account, and the IAM side of outside accounts of the Organization the key names',
    )
    .option('--role <name>', 'role assumed in member accounts with --org', 'OrganizationAccountAccessRole')
    .option('--external-id <id>', 'ExternalId for the --org role')
    .addHelpText(
      'after',
      `
The SDK's own settings apply: AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL(_KMS, _IAM, ...), AWS_MAX_ATTEMPTS, AWS_RETRY_MODE.

Examples:
  keywarden explain examples/demo-account/console-default.json
  keywarden explain --aws arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
  keywarden explain --aws alias/payments --region eu-west-1 --org`,
    )
    .action(async (file: string | undefined, opts: ExplainOptions) => {
      if ((file === undefined) === (opts.aws === undefined))
        throw new UsageError('give a file to explain, or --aws KEY (exactly one of them)');
      if (opts.aws === undefined && (opts.profile !== undefined || opts.org))
        throw new UsageError('--profile and --org go with --aws KEY');
      process.exitCode = opts.aws !== undefined ? await explainAws(opts) : await explainFile(file!, opts);
    });
}
