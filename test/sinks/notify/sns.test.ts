import { type AddressInfo, createServer } from 'node:net';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelError } from '../../../src/sinks/notify/channel';
import { createChannel } from '../../../src/sinks/notify/create';
import { buildNotification, keyRefOf } from '../../../src/sinks/notify/message';
import { createSnsChannel, fitBytes, snsPublishInput } from '../../../src/sinks/notify/sns';
import { loadReports } from '../fixtures/load';
import { type LocalSns, startLocalSns } from '../helpers/fauxqs';

const report = loadReports().find((r) => r.access.reach === 'public')!;
const message = buildNotification({ findings: report.findings, key: keyRefOf(report.key) });

let local: LocalSns;
let client: SNSClient;
let topicArn: string;

beforeAll(async () => {
  local = await startLocalSns();
  client = new SNSClient({
    endpoint: local.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  topicArn = (await client.send(new CreateTopicCommand({ Name: 'keywarden-alerts' }))).TopicArn!;
  const queue = await local.sqs('CreateQueue', { QueueName: 'alerts-inbox' });
  const attributes = await local.sqs('GetQueueAttributes', { QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] });
  const queueArn = (attributes.Attributes as Record<string, string>).QueueArn;
  await client.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
});

afterAll(async () => {
  client?.destroy();
  await local?.stop();
});

describe('SNS channel (fauxqs on 127.0.0.1)', () => {
  it('publishes the subject, the plain text and the severity attribute to the topic', async () => {
    const channel = createChannel({ type: 'sns', topicArn }, { sns: client });
    expect(channel.name).toBe(`sns:${topicArn}`);
    await channel.send(message);
    const delivered = await local.queueMessages('alerts-inbox');
    expect(delivered).toHaveLength(1);
    const envelope = JSON.parse(delivered[0]!.body) as {
      Type: string;
      TopicArn: string;
      Subject: string;
      Message: string;
      MessageAttributes: Record<string, { Type: string; Value: string }>;
    };
    expect(envelope.Type).toBe('Notification');
    expect(envelope.TopicArn).toBe(topicArn);
    expect(envelope.Subject).toBe(message.subject);
    expect(envelope.Message).toBe(message.text);
    expect(envelope.MessageAttributes.severity).toEqual({ Type: 'String', Value: 'critical' });
    expect(envelope.MessageAttributes.keyArn?.Value).toBe(report.key.arn);
  });

  it('fails with a typed, actionable error when the topic does not exist', async () => {
    const missing = topicArn.replace('keywarden-alerts', 'no-such-topic');
    const channel = createSnsChannel({ topicArn: missing, client });
    const error = await channel.send(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    const channelError = error as ChannelError;
    expect(channelError.channel).toBe(`sns:${missing}`);
    expect(channelError.retryable).toBe(false);
    expect(channelError.message).toContain(`could not publish to ${missing}`);
    expect(channelError.message).toContain('check the ARN or name in the channels configuration');
  });

  it('fails as retryable when SNS cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = new SNSClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const error = (await createSnsChannel({ topicArn, client: unreachable })
      .send(message)
      .catch((e: unknown) => e)) as ChannelError;
    unreachable.destroy();
    expect(error).toBeInstanceOf(ChannelError);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('will be retried');
  });

  it('adds a message group and a deduplication id for FIFO topics', () => {
    const fifo = snsPublishInput('arn:aws:sns:us-east-1:111122223333:alerts.fifo', message);
    expect(fifo.MessageGroupId).toBe(report.key.arn);
    expect(fifo.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(snsPublishInput('arn:aws:sns:us-east-1:111122223333:alerts.fifo', message).MessageDeduplicationId).toBe(
      fifo.MessageDeduplicationId,
    );
    expect(snsPublishInput(topicArn, message).MessageGroupId).toBeUndefined();
  });

  it('cuts an over-long message to the SNS limit on a character boundary', () => {
    const long = 'é'.repeat(200_000);
    const cut = fitBytes(long, 250_000);
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(250_000);
    expect(cut).toContain('[cut to fit the channel limit');
    expect(cut).not.toContain('\uFFFD');
    expect(fitBytes('short', 250_000)).toBe('short');
  });
});
