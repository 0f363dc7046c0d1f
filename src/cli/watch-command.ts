/**
 * `keywarden watch --event FILE` (replay one EventBridge/CloudTrail event, or a recording of several, through the
 * live watch) and `keywarden fix FINDING-ID` (dry run by default). Wiring only: the use cases are src/app/watch.ts,
 * src/app/deliver.ts and src/app/fix.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { KMSClient } from '@aws-sdk/client-kms';
import { Command, Option } from 'commander';
import { deliverOutbox } from '../app/deliver';
import { type FixResult, runFix } from '../app/fix';
import { handleWatchEvent, type WatchOutcome } from '../app/watch';
import { EMPTY_WATCH_CONFIG, parseWatchConfig, type WatchConfig } from '../app/watch-config';
import { DETECTIONS } from '../app/watch-detections';
import { createKeyFetcher, type KeyFetcher } from '../app/watch-fetch';
import { renderWatch, watchExitCode } from '../app/watch-report';
import { createFixExecutor } from '../respond/aws/fix';
import { RULES } from '../rules/registry';
import { FORMATS, type Format } from '../sinks/format';
import { createChannels } from '../sinks/notify/create';
import type { Store } from '../store/store';
import { openOutput, parseAccountList, parseFailOn, parseOrgList, UsageError } from './common';
import { openStore } from './store-option';
import { VERSION } from './version';

const DB_HELP = 'state store (SQLite) path; default $KEYWARDEN_DB or ~/.keywarden/keywarden.db';

/** keywarden.yaml at --config, else ./keywarden.yaml when present, else defaults. */
export function loadConfig(path: string | undefined, cwd = process.cwd()): WatchConfig {
  const file = path ?? (existsSync(`${cwd}/keywarden.yaml`) ? `${cwd}/keywarden.yaml` : undefined);
  if (!file) return EMPTY_WATCH_CONFIG;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the configuration ${file}: ${(error as Error).message}`);
  }
  const parsed = parseWatchConfig(text, file);
  if (!parsed.ok) throw new UsageError(parsed.errors.join('\n'));
  return parsed.value;
}

/** The events of a file: one event, a JSON array of events, or CloudTrail's `{"Records": [...]}`. */
export function readEvents(file: string): unknown[] {
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the event file ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${file}: not valid JSON (${(error as Error).message}): give an EventBridge event or a CloudTrail record`,
    );
  }
  if (Array.isArray(value)) return value;
  const records = (value as { Records?: unknown } | null)?.Records;
  return Array.isArray(records) ? records : [value];
}

const kmsClients = (profile: string | undefined) => {
  const clients = new Map<string, KMSClient>();
  const kmsFor = (region: string): KMSClient => {
    let client = clients.get(region);
    if (!client) {
      client = new KMSClient({ region, ...(profile ? { profile } : {}) });
      clients.set(region, client);
    }
    return client;
  };
  return {
    kmsFor,
    close: () => {
      for (const client of clients.values()) client.destroy();
    },
  };
};

const withTrust = (config: WatchConfig, opts: { trustedAccount: string[]; trustedOrg: string[] }) => ({
  trusted: {
    accounts: [...config.trusted.accounts, ...opts.trustedAccount],
    organizations: [...config.trusted.organizations, ...opts.trustedOrg],
    orgPaths: config.trusted.orgPaths,
  },
  rules: config.rules,
});

export function watchCommand(): Command {
  return new Command('watch')
    .description(
      'Replay KMS CloudTrail events through the live watch: analyse the changed key, compare with memory, alert on what is new.',
    )
    .requiredOption(
      '--event <file>',
      'an EventBridge event, a CloudTrail record, a JSON array of them, or {"Records": [...]} ("-" = stdin)',
    )
    .option('--db <path>', DB_HELP)
    .addOption(new Option('-f, --format <format>', 'output format').choices([...FORMATS]).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <severity>', 'exit 1 when a NEW finding is at or above this severity', parseFailOn, 'high')
    .option(
      '--config <file>',
      'keywarden.yaml (trusted parties, rules, notifications.channels); default ./keywarden.yaml',
    )
    .option('--trusted-account <ids>', 'accounts allowed to share keys', parseAccountList, [])
    .option('--trusted-org <ids>', 'AWS Organizations ids whose callers are trusted', parseOrgList, [])
    .option('--profile <name>', 'named AWS profile for reading the key')
    .option('--offline', 'do not read the key from AWS: analyse the event and the stored state only')
    .option('--no-deliver', 'queue alerts in the store but do not send them now')
    .option('--no-color', 'no colors in the table')
    .addHelpText(
      'after',
      `
Exit codes: 0 nothing new at or above --fail-on; 1 a new finding or attack signal at or above it; 2 an event could
not be handled (kept in the store) or its key could not be read from AWS at all (what the event shows is still
reported, with the calls that failed).

Examples:
  keywarden watch --event put-key-policy.json
  keywarden watch --event recording.json --format json --offline --db ./watch.db`,
    )
    .action(async (opts) => {
      const events = readEvents(opts.event);
      const config = loadConfig(opts.config);
      const store = openStore(opts.db);
      const aws = opts.offline ? undefined : kmsClients(opts.profile);
      const fetchKey: KeyFetcher | undefined = aws ? createKeyFetcher({ kmsFor: aws.kmsFor }) : undefined;
      const channels = createChannels(config.channels);
      const outcomes: WatchOutcome[] = [];
      const out = openOutput(opts.output);
      try {
        for (const event of events) {
          outcomes.push(
            await handleWatchEvent(
              event,
              { store, ...(fetchKey ? { fetchKey } : {}), now: () => new Date().toISOString() },
              {
                analysis: withTrust(config, opts),
                alertOn: config.alertOn,
                channels: channels.map((c) => c.name),
                ransom: config.ransom,
                notifyResolved: config.notifyResolved,
                replay: true,
              },
            ),
          );
        }
        await renderWatch(outcomes, out.stream, {
          format: opts.format as Format,
          tool: { name: 'keywarden', version: VERSION },
          rules: [...RULES, ...DETECTIONS],
          color: opts.color === false || out.isFile ? false : undefined,
        });
        await out.done();
        if (channels.length > 0 && opts.deliver !== false) {
          const delivery = await deliverOutbox(store, channels, { now: () => new Date().toISOString() });
          process.stderr.write(
            `keywarden: ${delivery.sent} notification(s) sent, ${delivery.retrying.length} message(s) to retry, ${delivery.dead.length} dead letter(s)\n`,
          );
          for (const r of delivery.retrying)
            process.stderr.write(`keywarden: ${r.channel}: ${r.error} (retry at ${r.retryAt})\n`);
        }
        process.exitCode = watchExitCode(outcomes, opts.failOn);
      } finally {
        aws?.close();
        await store.close();
      }
    });
}

function printFix(result: FixResult, format: string): void {
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const lines = [`fix ${result.plan?.findingId ?? ''}: ${result.status}: ${result.message}`];
  if (result.plan?.status === 'ready') for (const note of result.plan.notes) lines.push(`  note: ${note}`);
  for (const { step, outcome, message } of result.steps) {
    lines.push(`  ${outcome.toUpperCase()} ${step.action} ${step.keyArn}: ${message}`);
    if (step.action === 'PutKeyPolicy' && outcome === 'dry-run')
      lines.push(`    new policy:\n${step.policy.replace(/^/gm, '      ')}`);
  }
  if (result.resolved) lines.push(`  resolved now: ${result.resolved.join(', ') || 'none'}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function fixCommand(): Command {
  return new Command('fix')
    .description(
      "Apply a finding's remediation: PutKeyPolicy with the corrected policy, RevokeGrant or CancelKeyDeletion. Dry run unless --execute.",
    )
    .argument('<finding-id>', 'the finding id (KW-...) from a scan or the watch')
    .option('--execute', 'apply it (default: show what would be done)')
    .option('--restore', 'put back the last stored policy of the key with no finding at or above --fail-on')
    .option(
      '--fail-on <severity>',
      'with --restore: the threshold a restored policy must stay below',
      parseFailOn,
      'high',
    )
    .option('--db <path>', DB_HELP)
    .option('--config <file>', 'keywarden.yaml (trusted parties, rules); default ./keywarden.yaml')
    .option('--profile <name>', 'named AWS profile')
    .option('--offline', 'dry run from the stored state only, without reading the live key')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText(
      'after',
      `
Exit codes: 0 planned, applied or nothing to do; 1 refused (the key changed since the finding, no automatic fix) or a
step failed; 2 the finding is not in the store or the key could not be read.`,
    )
    .action(async (findingId: string, opts) => {
      if (opts.execute && opts.offline) throw new UsageError('--execute needs AWS: drop --offline');
      const config = loadConfig(opts.config);
      const store: Store = openStore(opts.db);
      const aws = opts.offline ? undefined : kmsClients(opts.profile);
      try {
        const result = await runFix(
          {
            store,
            ...(aws
              ? { fetchKey: createKeyFetcher({ kmsFor: aws.kmsFor }), execute: createFixExecutor(aws.kmsFor) }
              : {}),
            now: () => new Date().toISOString(),
            actor: 'keywarden fix (CLI)',
          },
          {
            findingId,
            execute: Boolean(opts.execute),
            restore: Boolean(opts.restore),
            failOn: opts.failOn === 'none' ? 'info' : opts.failOn,
            analysis: withTrust(config, { trustedAccount: [], trustedOrg: [] }),
          },
        );
        printFix(result, opts.format);
        process.exitCode = result.exitCode;
      } finally {
        aws?.close();
        await store.close();
      }
    });
}
