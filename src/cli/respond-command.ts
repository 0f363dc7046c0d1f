/**
 * `keywarden respond exposed-key --event FILE [--mode notify|contain|contain-and-delete] [--execute]`: commander
 * wiring only. Runs the steps the Step Functions workflow runs (src/app/exposed-key.ts), locally, and prints the
 * plan, then the results. A dry run unless --execute: it reads (IAM, CloudTrail) but changes and sends nothing, and
 * with AWS unreachable it still prints the plan the event alone allows.
 * Exit codes: 0 done (or dry run), 1 an action or the notice failed, or only a human can contain the key,
 * 2 bad usage or an event keywarden cannot respond to.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { Command, Option } from 'commander';
import { DEFAULT_INVESTIGATION_WINDOW, type ExposedKeyDeps, respondToExposedKey } from '../app/exposed-key';
import { retryingCloudTrail } from '../respond/aws/exposed-key-cloudtrail';
import { exposedKeyIam } from '../respond/aws/exposed-key-iam';
import { partitionOf } from '../respond/plan/exposed-key-policies';
import { renderResponse } from '../respond/plan/exposed-key-render';
import { allResults, type ExposedKeyState } from '../respond/plan/exposed-key-state';
import { DEFAULT_RESPONSE_MODE, RESPONSE_MODES, type ResponseMode } from '../respond/plan/exposed-key-types';
import { createChannels } from '../sinks/notify/create';
import { createSnsChannel } from '../sinks/notify/sns';
import type { Store } from '../store/store';
import { parseTimeBound } from '../trail/detect/time';
import { realClock } from '../trail/read/async';
import { type AwsClients, defaultClients, openSource } from '../trail/read/open';
import { UsageError } from './common';
import { loadConfigForCli } from './config-command';
import { openStore } from './store-option';

export interface RespondClients {
  iam: IAMClient;
  sts: STSClient;
  sns: SNSClient;
  trail: AwsClients;
}

export interface RespondCommandDeps {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  setExitCode?: (code: number) => void;
  clients?: (region?: string) => RespondClients;
  now?: () => string;
  sleep?: (ms: number) => Promise<void>;
  openStore?: (path: string | undefined) => Store;
  cacheDir?: string;
}

interface RespondOptions {
  event: string;
  mode?: ResponseMode;
  config?: string;
  execute?: boolean;
  since: string;
  trail: string;
  db?: string;
  snsTopic?: string;
  region?: string;
  format: 'text' | 'json';
}

const sdkClients = (region?: string): RespondClients => {
  const config = region ? { region } : {};
  return {
    iam: new IAMClient(config),
    sts: new STSClient(config),
    sns: new SNSClient(config),
    trail: defaultClients(region),
  };
};

const readEvent = (path: string): unknown => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the event file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${path} is not valid JSON (${(error as Error).message}): give the event as EventBridge delivers it`,
    );
  }
};

const exitCodeOf = (state: ExposedKeyState): number => {
  if (!state.case) return 2;
  const failed = allResults(state).some((r) => r.outcome === 'failed');
  const noticeFailed = state.notice?.deliveries.some((d) => d.outcome === 'failed') ?? false;
  return failed || noticeFailed || state.identified?.blocked ? 1 : 0;
};

export function respondCommand(deps: RespondCommandDeps = {}): Command {
  const stdout = deps.stdout ?? ((text: string) => process.stdout.write(text));
  const setExitCode =
    deps.setExitCode ??
    ((code: number) => {
      process.exitCode = code;
    });
  const respond = new Command('respond').description('respond to a security event');
  respond
    .command('exposed-key')
    .description(
      'Respond to an exposed IAM access key (a Trusted Advisor "Exposed Access Keys", AWS Health\n' +
        'AWS_RISK_CREDENTIALS_EXPOSED or keywarden.test event): identify, contain, investigate, revoke, notify.\n' +
        'Prints the plan, then the results. A dry run unless --execute. Exit codes: 0 done, 1 an action failed or\n' +
        'the key needs a human, 2 bad usage or an event keywarden cannot respond to.',
    )
    .requiredOption('--event <file>', 'the event, as EventBridge delivers it (or a PutEvents entry)')
    .addOption(
      new Option(
        '--mode <mode>',
        'notify: change nothing; contain: deactivate + quarantine; contain-and-delete',
      ).choices([...RESPONSE_MODES]),
    )
    .option(
      '-c, --config <file>',
      `keywarden.yaml (default ./keywarden.yaml): response.mode (else ${DEFAULT_RESPONSE_MODE}) and notifications.channels`,
    )
    .option('--execute', 'act on AWS and send the notice (default: dry run)')
    .option(
      '--since <time>',
      'start of the CloudTrail window: a duration before now or an ISO time',
      DEFAULT_INVESTIGATION_WINDOW,
    )
    .option(
      '--trail <source>',
      'where to read CloudTrail: lookup:all, lookup:REGION[,REGION] or a folder of logs',
      'lookup:all',
    )
    .option('--db <file>', 'the store (remediation log, outbox) with --execute; default ~/.keywarden/keywarden.db')
    .option('--sns-topic <arn>', 'send the notice to this SNS topic (with --execute)')
    .option('--region <region>', 'AWS region for the API calls (default: from the environment)')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .action(async (options: RespondOptions) => {
      const now = deps.now ?? (() => new Date().toISOString());
      const since = parseTimeBound(options.since, Date.parse(now()));
      if (!since.ok) throw new UsageError(`--since: ${since.reason}`);
      const loaded = loadConfigForCli(options.config, process.cwd());
      if (!loaded.ok) throw new UsageError(`invalid configuration:\n${loaded.message}`);
      const mode: ResponseMode = options.mode ?? loaded.config.response?.mode ?? DEFAULT_RESPONSE_MODE;
      const event = readEvent(options.event);
      const clients = (deps.clients ?? sdkClients)(options.region);
      const sleep = deps.sleep ?? realClock.sleep;
      const trail: AwsClients = {
        ...clients.trail,
        cloudtrail: (region) => retryingCloudTrail(clients.trail.cloudtrail(region), { sleep }),
      };
      const opened = await openSource(
        options.trail,
        {
          engine: 'stream',
          cacheDir: deps.cacheDir ?? join(homedir(), '.keywarden', 'trail'),
          window: { since: since.ms },
        },
        trail,
        { now: () => Date.parse(now()), sleep },
      );
      if (!opened.ok) throw new UsageError(`--trail: ${opened.reason}`);
      const store = options.execute ? (deps.openStore ?? openStore)(options.db) : undefined;
      const depsForSteps: ExposedKeyDeps = {
        iam: exposedKeyIam({ iam: clients.iam, sts: clients.sts, now }),
        ...(store ? { store } : {}),
        readEvents: (query) => opened.source.read(query),
        readReport: () => opened.source.report(),
        trailSource: opened.source.description,
        channels: [
          ...createChannels(loaded.config.notifications?.channels ?? [], { sns: clients.sns }),
          ...(options.snsTopic ? [createSnsChannel({ topicArn: options.snsTopic, client: clients.sns })] : []),
        ],
        now,
        partition: partitionOf(options.region ?? process.env.AWS_REGION),
        since: options.since,
        actor: 'keywarden-cli',
      };
      try {
        const state = await respondToExposedKey(event, { mode, execute: options.execute === true }, depsForSteps);
        stdout(options.format === 'json' ? `${JSON.stringify(state, null, 2)}\n` : renderResponse(state));
        setExitCode(exitCodeOf(state));
      } finally {
        await opened.source.close?.();
        await store?.close();
      }
    });
  return respond;
}
