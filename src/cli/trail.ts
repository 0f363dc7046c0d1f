/**
 * `keywarden trail INVESTIGATION SOURCE [SUBJECT]`: commander wiring only. The policy judge is injected so
 * cli/main.ts wires the real KMS engine; AWS clients, the clock and the output streams are injectable for tests.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type Command, type CommanderError, Option } from 'commander';
import { INVESTIGATIONS } from '../trail/detect/investigation';
import type { JudgePolicy } from '../trail/detect/judge';
import { type Clock, realClock } from '../trail/read/async';
import { investigateTrail, type TrailRequest } from '../trail/read/investigate';
import { type AwsClients, defaultClients } from '../trail/read/open';

export interface TrailCommandDeps {
  judgePolicy: JudgePolicy;
  /** AWS SDK clients; default: the standard credential chain, region from --region or the environment. */
  clients?: (region?: string) => AwsClients;
  clock?: Clock;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Sets the exit code at the end of a run (default: process.exitCode). */
  setExitCode?: (code: number) => void;
  /** Ends the process on a usage error commander detects (default: process.exit). */
  exitNow?: (code: number) => never;
  /** Default cache folder (S3 objects, DuckDB database): ~/.keywarden/trail. */
  cacheDir?: string;
}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
const whole = (value: string): number => Number(value);

interface TrailOptions {
  since?: string;
  until?: string;
  format: string;
  engine: string;
  db?: string;
  cacheDir?: string;
  accounts?: string[];
  regions?: string[];
  region?: string;
  trustedAccounts?: string[];
  threshold?: number;
  windowMinutes?: number;
  athena?: boolean;
  athenaDatabase: string;
  athenaTable: string;
  athenaWorkgroup?: string;
  athenaOutput?: string;
  athenaFirstDay?: string;
  createTable: boolean;
}

export const registerTrailCommands = (program: Command, deps: TrailCommandDeps): Command => {
  const stdout = deps.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = deps.stderr ?? ((text: string) => process.stderr.write(text));
  const setExitCode =
    deps.setExitCode ??
    ((code: number) => {
      process.exitCode = code;
    });
  const exitNow = deps.exitNow ?? ((code: number) => process.exit(code));

  const command = program
    .command('trail')
    .summary('investigate KMS and credential activity in CloudTrail')
    .description(
      `Investigate CloudTrail: ${INVESTIGATIONS.join(', ')}.\n` +
        'SOURCE: a folder or file of CloudTrail logs (.json.gz as delivered to S3, .json, .jsonl), s3://bucket/prefix,\n' +
        'lookup:REGION[,REGION] or lookup:all (CloudTrail LookupEvents), logs:LOG_GROUP (CloudWatch Logs Insights).\n' +
        'SUBJECT: the key ARN or id for `key`, the access key id or IAM user name for `access-key`.\n' +
        'Exit codes: 0 nothing flagged, 1 something flagged, 2 bad usage or nothing readable.',
    )
    .argument('<investigation>', INVESTIGATIONS.join(' | '))
    .argument('<source>', 'path, s3://bucket/prefix, lookup:REGION[,REGION] | lookup:all, logs:LOG_GROUP')
    .argument('[subject]', 'key ARN/id (key) or access key id / user name (access-key)')
    .option('--since <time>', 'ISO 8601 time or a duration before now (90m, 24h, 7d)')
    .option('--until <time>', 'ISO 8601 time or a duration before now')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(
      new Option('--engine <engine>', 'read files as a stream, or load them into the DuckDB cache and query with SQL')
        .choices(['stream', 'duckdb'])
        .default('stream'),
    )
    .option('--db <file>', 'DuckDB database file to use as cache (implies --engine duckdb)')
    .option('--cache-dir <dir>', 'where S3 objects and the DuckDB database are cached (default ~/.keywarden/trail)')
    .option('--accounts <ids>', 's3/--athena: only these accounts (comma-separated)', list)
    .option('--regions <regions>', 's3/--athena: only these regions (comma-separated)', list)
    .option('--region <region>', 'AWS region for S3, CloudWatch Logs and Athena calls')
    .option('--trusted-accounts <ids>', 'outsiders: accounts whose use of your keys is expected', list)
    .option('--threshold <n>', 'ransom: distinct keys that make a pattern (default 3)', whole)
    .option('--window-minutes <n>', 'ransom: sliding window in minutes (default 10)', whole)
    .option('--athena', 'run the investigation as Athena SQL over the trail at SOURCE (s3://bucket/prefix)')
    .option('--athena-database <name>', 'Athena database', 'default')
    .option(
      '--athena-table <name>',
      'Athena table (created with partition projection if missing)',
      'keywarden_cloudtrail',
    )
    .option('--athena-workgroup <name>', 'Athena workgroup')
    .option('--athena-output <s3url>', 'S3 location for Athena query results')
    .option('--athena-first-day <yyyy/MM/dd>', 'first day the table projects (default: --since, else 2020/01/01)')
    .option('--no-create-table', 'with --athena: use the table as it is, do not create it')
    .configureOutput({ writeOut: stdout, writeErr: stderr })
    .exitOverride((error: CommanderError) => {
      const done = ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code);
      exitNow(done ? 0 : 2);
    })
    .action(async (investigation: string, source: string, subject: string | undefined, options: TrailOptions) => {
      const request: TrailRequest = {
        investigation,
        source,
        ...(subject ? { subject } : {}),
        ...(options.since ? { since: options.since } : {}),
        ...(options.until ? { until: options.until } : {}),
        format: options.format,
        engine: options.db ? 'duckdb' : options.engine,
        cacheDir: options.cacheDir ?? deps.cacheDir ?? join(homedir(), '.keywarden', 'trail'),
        ...(options.db ? { database: options.db } : {}),
        accounts: options.accounts ?? [],
        regions: options.regions ?? [],
        trustedAccounts: options.trustedAccounts ?? [],
        ransom: { threshold: options.threshold, windowMinutes: options.windowMinutes },
        ...(options.athena
          ? {
              athena: {
                database: options.athenaDatabase,
                table: options.athenaTable,
                ...(options.athenaWorkgroup ? { workgroup: options.athenaWorkgroup } : {}),
                ...(options.athenaOutput ? { outputLocation: options.athenaOutput } : {}),
                ...(options.athenaFirstDay ? { firstDay: options.athenaFirstDay } : {}),
                createTable: options.createTable,
              },
            }
          : {}),
      };
      const outcome = await investigateTrail(request, {
        judgePolicy: deps.judgePolicy,
        clients: () => (deps.clients ?? defaultClients)(options.region),
        clock: deps.clock ?? realClock,
      });
      if (outcome.stdout) stdout(outcome.stdout);
      if (outcome.stderr) stderr(outcome.stderr);
      setExitCode(outcome.exitCode);
    });
  return command;
};
