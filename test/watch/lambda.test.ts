/**
 * The Lambda wiring: configuration from ConfigLocation, the stack's alerts topic as a channel, and the AWS actions
 * the watch and reconciliation handlers really send, all within the permissions their roles get.
 */

import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_WATCH_CONFIG } from '../../src/app/watch-config';
import { createKeyFetcher } from '../../src/app/watch-fetch';
import { RECONCILE_PERMISSIONS, WATCH_PERMISSIONS } from '../../src/app/watch-permissions';
import { createReconcileHandler } from '../../src/lambda/reconcile.handler';
import { channelsOf, createWatchHandler, lambdaWiring, watchConfigAt } from '../../src/lambda/watch.handler';
import { createChannels } from '../../src/sinks/notify/create';
import { collectAws } from '../../src/sources/aws';
import { createTable, DynamoStore } from '../../src/store/dynamodb';
import { startKmsStandin } from '../aws/kms-standin';
import { type LocalDynamo, startDynalite } from '../store/dynalite-server';
import {
  envelope,
  inProcessKms,
  KEY_ARN,
  KEY_ID,
  kmsKey,
  minute,
  PUBLIC_STATEMENT,
  policyText,
  putKeyPolicy,
} from './helpers';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo?.stop();
});

/** A DynamoDB store whose client records the action of every command it sends. */
async function recordingStore(table: string, sent: Set<string>) {
  const admin = dynamo.client();
  const created = await createTable(admin, table, { maxWaitSeconds: 10 });
  if (!created.ok) throw new Error(created.reason);
  const client = dynamo.client();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.add(`dynamodb:${String(context.commandName).replace(/Command$/, '')}`);
      return next(args);
    },
    { step: 'initialize' },
  );
  return new DynamoStore({ client, tableName: table });
}

const YAML = `trusted:\n  accounts: ['444455556666']\nnotifications:\n  channels:\n    - type: eventbridge\n`;
const s3 = mockClient(S3Client);
const ssm = mockClient(SSMClient);
afterEach(() => {
  s3.reset();
  ssm.reset();
});

describe('Lambda wiring', () => {
  it('reads keywarden.yaml from s3:// or ssm:/ and says what is wrong with a bad location or file', async () => {
    // The body as the SDK gives it to the reader: a stream with transformToString.
    s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => YAML } as never });
    expect((await watchConfigAt('s3://config-bucket/keywarden.yaml')).trusted.accounts).toEqual(['444455556666']);
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'config-bucket',
      Key: 'keywarden.yaml',
    });
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'watch:\n  alertOn: shouting\n' } });
    await expect(watchConfigAt('ssm:/keywarden/config')).rejects.toThrow(/watch\.alertOn/);
    await expect(watchConfigAt('https://example.com/k.yaml')).rejects.toThrow(
      /s3:\/\/bucket\/key or ssm:\/parameter\/name/,
    );
    expect(await watchConfigAt('')).toBe(EMPTY_WATCH_CONFIG);
  });

  it('needs TABLE_NAME', async () => {
    await expect(lambdaWiring({})).rejects.toThrow(/TABLE_NAME is not set/);
  });

  it("adds the stack's alerts topic to the configured channels, once", () => {
    const topic = 'arn:aws:sns:us-west-2:111122223333:keywarden-AlertsTopic-1';
    expect(channelsOf(EMPTY_WATCH_CONFIG, topic).map((c) => c.name)).toEqual([`sns:${topic}`]);
    const both = channelsOf({ ...EMPTY_WATCH_CONFIG, channels: [{ type: 'sns', topicArn: topic }] }, topic);
    expect(both).toHaveLength(1);
  });
});

describe('what the handlers send stays within their permissions', () => {
  it('the watch: key reads, the store, SNS and EventBridge', async () => {
    const sent = new Set<string>();
    const store = await recordingStore('keywarden-perm-watch', sent);
    const kms = inProcessKms(new Map([[KEY_ARN, kmsKey(KEY_ID)]]));
    const sns = mockClient(new SNSClient({ region: 'us-west-2' }));
    const events = mockClient(new EventBridgeClient({ region: 'us-west-2' }));
    sns.on(PublishCommand).resolves({ MessageId: '1' });
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    const channels = createChannels(
      [
        { type: 'sns', topicArn: 'arn:aws:sns:us-west-2:111122223333:alerts' },
        { type: 'eventbridge', busName: 'default' },
      ],
      { sns: sns as unknown as SNSClient, eventBridge: events as unknown as EventBridgeClient },
    );
    const handler = createWatchHandler({ store, fetchKey: kms.fetchKey, channels, config: EMPTY_WATCH_CONFIG });
    const result = await handler(
      envelope(putKeyPolicy({ time: minute(1), id: 'perm', policy: policyText(PUBLIC_STATEMENT) })),
    );
    expect(result).toMatchObject({ status: 'analysed', retrying: 0, dead: 0 });
    expect(result.delivered).toBeGreaterThan(0);
    await handler(envelope(putKeyPolicy({ time: minute(2), id: 'perm-2', policy: policyText() })));
    for (const call of kms.mock.calls()) sent.add(`kms:${call.args[0].constructor.name.replace(/Command$/, '')}`);
    if (sns.commandCalls(PublishCommand).length > 0) sent.add('sns:Publish');
    if (events.commandCalls(PutEventsCommand).length > 0) sent.add('events:PutEvents');
    const used = [...sent].sort();
    expect(used.filter((a) => !WATCH_PERMISSIONS.includes(a))).toEqual([]);
    expect(used).toEqual(
      expect.arrayContaining([
        'kms:DescribeKey',
        'kms:GetKeyPolicy',
        'kms:ListGrants',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'sns:Publish',
        'events:PutEvents',
      ]),
    );
    kms.mock.restore();
    await store.close();
  });

  it('the reconciliation: the caller identity, the key list and reads, the store', async () => {
    const standin = await startKmsStandin({ regions: { 'us-west-2': 12 }, latencyMs: 0 });
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_KMS: standin.endpoint,
      AWS_ENDPOINT_URL_STS: standin.endpoint,
      AWS_ACCESS_KEY_ID: 'AKIDRECONCILE',
      AWS_SECRET_ACCESS_KEY: 'reconcile-test-only',
      AWS_REGION: 'us-west-2',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    delete process.env.AWS_PROFILE;
    const sent = new Set<string>();
    const store = await recordingStore('keywarden-perm-reconcile', sent);
    try {
      const handler = createReconcileHandler(
        {
          store,
          channels: [],
          config: EMPTY_WATCH_CONFIG,
          fetchKey: createKeyFetcher({
            kmsFor: () => {
              throw new Error('not used');
            },
          }),
        },
        (regions) => collectAws({ regions }),
        'us-west-2',
      );
      const result = await handler();
      expect(result).toMatchObject({ keys: 12, gaps: 0 });
      for (const [operation, count] of Object.entries(standin.requests)) {
        if (count > 0) sent.add(operation === 'GetCallerIdentity' ? 'sts:GetCallerIdentity' : `kms:${operation}`);
      }
      const used = [...sent].sort();
      expect(used.filter((a) => !RECONCILE_PERMISSIONS.includes(a))).toEqual([]);
      expect(used).toEqual(
        expect.arrayContaining([
          'sts:GetCallerIdentity',
          'kms:ListKeys',
          'kms:ListAliases',
          'kms:ListGrants',
          'dynamodb:PutItem',
        ]),
      );
    } finally {
      process.env = saved;
      await store.close();
      await standin.stop();
    }
  });
});
