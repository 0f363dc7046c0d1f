/**
 * The live watch Lambda: invoked by the EventBridge rules for KMS "AWS API Call via CloudTrail" events. Wiring only:
 * the DynamoDB store (TABLE_NAME), the KMS reader, the channels from keywarden.yaml (CONFIG_LOCATION) plus the
 * stack's alerts topic (ALERTS_TOPIC_ARN), then src/app/watch.ts for the event and src/app/deliver.ts for the outbox. An error (the store unreachable)
 * is thrown, so Lambda retries and then hands the event to the on-failure destination.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { deliverOutbox } from '../app/deliver';
import { handleWatchEvent, type WatchOutcome } from '../app/watch';
import { EMPTY_WATCH_CONFIG, parseWatchConfig, type WatchConfig } from '../app/watch-config';
import { createKeyFetcher, type KeyFetcher } from '../app/watch-fetch';
import { WATCH_PERMISSIONS } from '../app/watch-permissions';
import { readConfigLocation } from '../sinks/awsconfig/location';
import type { Channel } from '../sinks/notify/channel';
import type { ChannelConfig } from '../sinks/notify/config';
import { createChannels } from '../sinks/notify/create';
import { DynamoStore } from '../store/dynamodb';
import type { Store } from '../store/store';

export interface LambdaWiring {
  store: Store;
  fetchKey?: KeyFetcher;
  channels: Channel[];
  config: WatchConfig;
  now?: () => string;
  log?: (entry: Record<string, unknown>) => void;
}

/** The AWS actions this function sends (its role grants exactly these; test/deploy checks). */
export const permissions = WATCH_PERMISSIONS;

export const jsonLog = (entry: Record<string, unknown>): void => console.log(JSON.stringify(entry));

/** Reads keywarden.yaml from the stack's ConfigLocation (`s3://bucket/key` or `ssm:/name`); empty = defaults. */
export async function watchConfigAt(location: string | undefined): Promise<WatchConfig> {
  if (!location) return EMPTY_WATCH_CONFIG;
  const text = await readConfigLocation(location, { s3: () => new S3Client({}), ssm: () => new SSMClient({}) });
  const parsed = parseWatchConfig(text, location);
  if (!parsed.ok) throw new Error(`keywarden.yaml at ${location} is not valid: ${parsed.errors.join('; ')}`);
  return parsed.value;
}

/** The configured channels, plus the stack's alerts topic when the configuration does not name it already. */
export function channelsOf(config: WatchConfig, alertsTopicArn: string | undefined): Channel[] {
  const configs: ChannelConfig[] = [...config.channels];
  if (alertsTopicArn && !configs.some((c) => c.type === 'sns' && c.topicArn === alertsTopicArn)) {
    configs.push({ type: 'sns', topicArn: alertsTopicArn });
  }
  return createChannels(configs, { sns: new SNSClient({}), eventBridge: new EventBridgeClient({}) });
}

let cached: { wiring: LambdaWiring; until: number } | undefined;

/** Built once per warm container (the configuration is read again after 5 minutes). */
export async function lambdaWiring(env: Record<string, string | undefined> = process.env): Promise<LambdaWiring> {
  if (cached && cached.until > Date.now()) return cached.wiring;
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set: deploy the function with deploy/template.yaml');
  const config = await watchConfigAt(env.CONFIG_LOCATION);
  const clients = new Map<string, KMSClient>();
  const wiring: LambdaWiring = {
    store: cached?.wiring.store ?? new DynamoStore({ client: new DynamoDBClient({}), tableName }),
    fetchKey: createKeyFetcher({
      kmsFor: (region) => {
        const client = clients.get(region) ?? new KMSClient({ region });
        clients.set(region, client);
        return client;
      },
    }),
    channels: channelsOf(config, env.ALERTS_TOPIC_ARN),
    config,
    log: jsonLog,
  };
  cached = { wiring, until: Date.now() + 5 * 60_000 };
  return wiring;
}

export interface WatchResult {
  status: WatchOutcome['status'];
  eventId?: string;
  key?: string;
  new: string[];
  resolved: string[];
  detections: string[];
  alertsQueued: number;
  delivered: number;
  retrying: number;
  dead: number;
}

/** The handler over given wiring (tests and the parity test build the wiring themselves). */
export function createWatchHandler(wiring: LambdaWiring) {
  const now = wiring.now ?? (() => new Date().toISOString());
  return async (event: unknown, context?: { getRemainingTimeInMillis?: () => number }): Promise<WatchResult> => {
    const { config } = wiring;
    const outcome = await handleWatchEvent(
      event,
      {
        store: wiring.store,
        ...(wiring.fetchKey ? { fetchKey: wiring.fetchKey } : {}),
        now,
        ...(wiring.log ? { log: wiring.log } : {}),
      },
      {
        analysis: { trusted: config.trusted, rules: config.rules },
        alertOn: config.alertOn,
        channels: wiring.channels.map((c) => c.name),
        ransom: config.ransom,
        notifyResolved: config.notifyResolved,
      },
    );
    const delivery = await deliverOutbox(wiring.store, wiring.channels, {
      now,
      keepGoing: () => (context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY) > 15_000,
    });
    for (const r of delivery.retrying)
      wiring.log?.({
        outcome: 'delivery failed',
        message: r.id,
        channel: r.channel,
        error: r.error,
        retryAt: r.retryAt,
      });
    for (const d of delivery.dead)
      wiring.log?.({ outcome: 'dead letter', message: d.id, channel: d.channel, error: d.error });
    const analysed = outcome.status === 'analysed' ? outcome : undefined;
    return {
      status: outcome.status,
      ...(outcome.status === 'duplicate' ? { eventId: outcome.eventId } : {}),
      ...(analysed?.event.eventID ? { eventId: analysed.event.eventID } : {}),
      ...(analysed?.keyArn ? { key: analysed.keyArn } : {}),
      new:
        analysed?.diff.kind === 'recorded'
          ? analysed.diff.new.map((f) => f.id)
          : analysed?.diff.kind === 'late'
            ? analysed.diff.transient.map((f) => f.id)
            : [],
      resolved: analysed?.diff.kind === 'recorded' ? analysed.diff.resolved.map((f) => f.id) : [],
      detections: analysed?.detections.map((f) => f.rule) ?? [],
      alertsQueued: analysed?.alerts.enqueued.length ?? 0,
      delivered: delivery.delivered.length,
      retrying: delivery.retrying.length,
      dead: delivery.dead.length,
    };
  };
}

export const handler = async (event: unknown, context?: { getRemainingTimeInMillis?: () => number }) =>
  createWatchHandler(await lambdaWiring())(event, context);
