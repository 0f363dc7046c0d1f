/**
 * The watch against moto (started here on 127.0.0.1) through the real SDK: the key read from KMS (grants, state,
 * rotation) combined with the policy the event set, and an alert delivered through the EventBridge channel to an
 * SQS queue that an EventBridge rule targets.
 */
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateGrantCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverOutbox } from '../../src/app/deliver';
import { type AnalysedEvent, handleWatchEvent } from '../../src/app/watch';
import { createKeyFetcher } from '../../src/app/watch-fetch';
import { createChannels } from '../../src/sinks/notify/create';
import { MOTO_SKIP_MESSAGE, type MotoServer, motoAvailable, startMoto } from '../aws/moto-server';
import {
  envelope,
  type Json,
  minute,
  PUBLIC_STATEMENT,
  putKeyPolicy,
  SETTINGS,
  type TempStore,
  tempStore,
} from './helpers';

if (!motoAvailable) console.warn(MOTO_SKIP_MESSAGE.replace('the AWS collector', 'the live watch'));

const ACCOUNT = '123456789012'; // moto's default account
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const ROOT = {
  Sid: 'Root',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
};

let moto: MotoServer;
let kms: KMSClient;
let events: EventBridgeClient;
let temp: TempStore;

/** SQS JSON-protocol call to moto (the SQS client is not a dependency of keywarden). */
async function sqs(action: string, body: Json): Promise<Json> {
  const response = await fetch(moto.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
      // moto picks the service from the credential scope of the (unchecked) signature.
      authorization:
        'AWS4-HMAC-SHA256 Credential=testing/20240501/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`SQS ${action}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as Json;
}

beforeAll(async () => {
  if (!motoAvailable) return;
  moto = await startMoto();
  kms = new KMSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials });
  events = new EventBridgeClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials });
}, 90_000);
afterAll(async () => {
  kms?.destroy();
  events?.destroy();
  await moto?.stop();
});
beforeEach(async () => {
  if (!motoAvailable) return;
  await moto.reset();
  temp?.cleanup();
  temp = tempStore();
});

/** The docs' PutKeyPolicy record aimed at a moto key. */
const eventFor = (arn: string, policy: string, id: string): Json => {
  const event = putKeyPolicy({ keyId: arn.split('/')[1]!, time: minute(1), id, policy });
  event.awsRegion = 'us-east-1';
  event.recipientAccountId = ACCOUNT;
  event.userIdentity = { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/Alice`, accountId: ACCOUNT };
  event.resources = [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: arn }];
  return envelope(event);
};

describe.skipIf(!motoAvailable)('live watch against moto', () => {
  it('reads the grants from KMS and the policy from the event', async () => {
    const arn = (
      await kms.send(new CreateKeyCommand({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [ROOT] }) }))
    ).KeyMetadata!.Arn!;
    await kms.send(
      new CreateGrantCommand({
        KeyId: arn,
        GranteePrincipal: 'arn:aws:iam::444455556666:role/partner',
        Operations: ['Decrypt'],
      }),
    );
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [ROOT, PUBLIC_STATEMENT] });
    const outcome = (await handleWatchEvent(
      eventFor(arn, policy, 'moto-1'),
      {
        store: temp.store,
        fetchKey: createKeyFetcher({ kmsFor: () => kms, quotaShare: 1 }),
        now: () => new Date().toISOString(),
      },
      SETTINGS,
    )) as AnalysedEvent;
    expect(outcome.basis).toMatchObject({ DescribeKey: 'aws', ListGrants: 'aws', GetKeyPolicy: 'event' });
    expect(outcome.failedCalls).toEqual([]);
    const rules = (outcome.diff.kind === 'recorded' ? outcome.diff.new : []).map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['public-key', 'external-grant']));
  });

  it('delivers the alert once through the EventBridge channel to a rule target', async () => {
    const queue = await sqs('CreateQueue', { QueueName: 'keywarden-findings' });
    const attributes = await sqs('GetQueueAttributes', { QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] });
    const queueArn = (attributes.Attributes as Record<string, string>).QueueArn;
    await events.send(
      new PutRuleCommand({
        Name: 'keywarden-critical',
        EventPattern: JSON.stringify({
          source: ['keywarden'],
          'detail-type': ['keywarden.finding'],
          detail: { severity: ['critical'] },
        }),
      }),
    );
    await events.send(new PutTargetsCommand({ Rule: 'keywarden-critical', Targets: [{ Id: 'queue', Arn: queueArn }] }));
    const channels = createChannels([{ type: 'eventbridge', busName: 'default' }], { eventBridge: events });
    const arn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [ROOT, PUBLIC_STATEMENT] });
    const now = () => new Date().toISOString();
    for (const repeat of [1, 2]) {
      await handleWatchEvent(
        eventFor(arn, policy, 'moto-eb'),
        { store: temp.store, now },
        {
          ...SETTINGS,
          channels: channels.map((c) => c.name),
          replay: repeat === 2,
        },
      );
      await deliverOutbox(temp.store, channels, { now });
    }
    const received = await sqs('ReceiveMessage', { QueueUrl: queue.QueueUrl, MaxNumberOfMessages: 10 });
    const messages = (received.Messages as Array<{ Body: string }> | undefined) ?? [];
    expect(messages).toHaveLength(1);
    const body = JSON.parse(messages[0]!.Body) as {
      source: string;
      detail: { severity: string; key: { arn: string }; findings: Array<{ rule: string }> };
    };
    expect(body.source).toBe('keywarden');
    expect(body.detail.key.arn).toBe(arn);
    expect(body.detail.findings.map((f) => f.rule)).toContain('public-key');
  });
});
