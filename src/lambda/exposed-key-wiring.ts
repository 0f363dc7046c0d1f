/**
 * What the exposed-key Step Functions tasks share: the adapters picked from the environment the template sets
 * (RESPONSE_MODE, ALERTS_TOPIC_ARN, TABLE_NAME, INVESTIGATION_WINDOW, TRAIL_REGIONS), the JSON log line, and the
 * error Step Functions retries. SDK clients take their endpoint and credentials from the environment as usual.
 * The trail reader is built from src/trail/read/lookup.ts directly, not open.ts, so the bundles carry no DuckDB.
 */
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { DEFAULT_INVESTIGATION_WINDOW, type ExposedKeyDeps } from '../app/exposed-key';
import { retryingCloudTrail } from '../respond/aws/exposed-key-cloudtrail';
import { exposedKeyIam } from '../respond/aws/exposed-key-iam';
import { partitionOf } from '../respond/plan/exposed-key-policies';
import { type ExposedKeyState, STATE_FORMAT } from '../respond/plan/exposed-key-state';
import { DEFAULT_RESPONSE_MODE, isResponseMode, type ResponseMode } from '../respond/plan/exposed-key-types';
import type { Channel } from '../sinks/notify/channel';
import { createSnsChannel } from '../sinks/notify/sns';
import { DynamoStore } from '../store/dynamodb/dynamodb-store';
import { realClock } from '../trail/read/async';
import { lookupSource } from '../trail/read/lookup';

type Env = Record<string, string | undefined>;

/** DynamoDB calls of the store's remediation log (getAction, recordAction). */
export const STORE_LOG_ACTIONS: readonly string[] = ['dynamodb:GetItem', 'dynamodb:PutItem'];
/** DynamoDB calls of the store's outbox as the notify task uses it (enqueue, getMessage, acknowledge, fail). */
export const STORE_OUTBOX_ACTIONS: readonly string[] = ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'];

/** The error name the state machine retries (with backoff) before it takes the failure path. */
export const RETRYABLE_ERROR = 'Keywarden.Retryable';

export class RetryableStepError extends Error {
  override readonly name = RETRYABLE_ERROR;
}

export const responseMode = (env: Env = process.env): ResponseMode => {
  const value = env.RESPONSE_MODE?.trim();
  return isResponseMode(value) ? value : DEFAULT_RESPONSE_MODE;
};

/** One JSON line per event in CloudWatch Logs; callers pass identifiers and outcomes only, never secrets. */
export const logLine = (event: string, fields: Record<string, unknown>): void => {
  console.log(JSON.stringify({ level: 'info', event, ...fields }));
};

const enabledRegions = async (client: AccountClient): Promise<string[]> => {
  const regions: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new ListRegionsCommand({ RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], NextToken }),
    );
    for (const entry of page.Regions ?? []) if (entry.RegionName) regions.push(entry.RegionName);
    NextToken = page.NextToken;
  } while (NextToken);
  return regions;
};

export const exposedKeyDeps = (env: Env = process.env): ExposedKeyDeps => {
  const now = () => new Date().toISOString();
  const regionsSetting = env.TRAIL_REGIONS?.trim() || 'all';
  const regions = regionsSetting === 'all' ? ('all' as const) : regionsSetting.split(',').map((r) => r.trim());
  const cloudtrail = new Map<string, CloudTrailClient>();
  const source = lookupSource({
    regions,
    client: (region) => {
      let client = cloudtrail.get(region);
      if (!client) {
        client = retryingCloudTrail(new CloudTrailClient({ region }), { sleep: realClock.sleep });
        cloudtrail.set(region, client);
      }
      return client;
    },
    listRegions: () => enabledRegions(new AccountClient({})),
    clock: realClock,
  });
  const channels: Channel[] = env.ALERTS_TOPIC_ARN
    ? [createSnsChannel({ topicArn: env.ALERTS_TOPIC_ARN, client: new SNSClient({}) })]
    : [];
  return {
    iam: exposedKeyIam({ iam: new IAMClient({}), sts: new STSClient({}), now }),
    ...(env.TABLE_NAME
      ? { store: new DynamoStore({ client: new DynamoDBClient({}), tableName: env.TABLE_NAME }) }
      : {}),
    readEvents: (query) => source.read(query),
    readReport: () => source.report(),
    trailSource: source.description,
    channels,
    now,
    partition: partitionOf(env.AWS_REGION),
    since: env.INVESTIGATION_WINDOW?.trim() || DEFAULT_INVESTIGATION_WINDOW,
    actor: env.AWS_LAMBDA_FUNCTION_NAME ? `lambda:${env.AWS_LAMBDA_FUNCTION_NAME}` : 'lambda',
    log: logLine,
  };
};

/** The state a task receives: the previous task's output (the first task gets the EventBridge event instead). */
export const asState = (input: unknown): ExposedKeyState | undefined =>
  typeof input === 'object' && input !== null && (input as { format?: unknown }).format === STATE_FORMAT
    ? (input as ExposedKeyState)
    : undefined;

/** Throw so Step Functions retries the task when an action failed in a way that trying again can help. */
export const throwIfRetryable = (
  stage: string,
  results: ReadonlyArray<{
    kind?: string;
    channel?: string;
    target?: string;
    outcome: string;
    detail: string;
    retryable?: boolean;
  }>,
): void => {
  const failed = results.filter((r) => r.outcome === 'failed' && r.retryable);
  if (failed.length === 0) return;
  const lines = results.map((r) => `${r.kind ?? r.channel} ${r.target ?? ''}: ${r.outcome} (${r.detail})`);
  throw new RetryableStepError(`${stage}: ${failed.length} step(s) failed and will be retried; ${lines.join('; ')}`);
};
