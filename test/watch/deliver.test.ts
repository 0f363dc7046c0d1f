/**
 * Outbox delivery through real channel servers on 127.0.0.1: SNS (fauxqs, read back from a subscribed SQS queue),
 * SMTP (smtp-server, the mail read back), a webhook (a local HTTP server that fails first). A failing channel is
 * retried from the outbox alone; the others are not sent twice; a channel that keeps failing ends as a kept dead
 * letter.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverOutbox } from '../../src/app/deliver';
import { handleWatchEvent } from '../../src/app/watch';
import type { Channel } from '../../src/sinks/notify/channel';
import { createChannels } from '../../src/sinks/notify/create';
import { type LocalSns, startLocalSns } from '../sinks/helpers/fauxqs';
import {
  envelope,
  minute,
  OUTSIDER,
  outsiderStatement,
  PUBLIC_STATEMENT,
  policyText,
  putKeyPolicy,
  SETTINGS,
  type TempStore,
  tempStore,
} from './helpers';

let sns: LocalSns;
let snsClient: SNSClient;
let topicArn: string;
let smtp: SMTPServer;
let smtpPort: number;
const mails: string[] = [];
let web: Server;
let webUrl: string;
const posts: Array<Record<string, unknown>> = [];
let webFailures = 0;

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

beforeAll(async () => {
  sns = await startLocalSns();
  snsClient = new SNSClient({
    endpoint: sns.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 't', secretAccessKey: 't' },
  });
  topicArn = (await snsClient.send(new CreateTopicCommand({ Name: 'keywarden-alerts' }))).TopicArn!;
  const queue = await sns.sqs('CreateQueue', { QueueName: 'inbox' });
  const attributes = await sns.sqs('GetQueueAttributes', { QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] });
  const queueArn = (attributes.Attributes as Record<string, string>).QueueArn;
  await snsClient.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));

  smtp = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;

  web = createServer(async (req, res) => {
    const body = await readBody(req);
    if (webFailures > 0) {
      webFailures--;
      res.writeHead(503).end('busy');
      return;
    }
    posts.push(JSON.parse(body) as Record<string, unknown>);
    res.writeHead(200).end('ok');
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}/hooks/keywarden`;
});

afterAll(async () => {
  snsClient?.destroy();
  await sns?.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise<void>((resolve) => web.close(() => resolve()));
});

let temp: TempStore;
let channels: Channel[];
let clock: number;
const now = () => new Date(clock).toISOString();

beforeEach(() => {
  temp = tempStore();
  mails.length = 0;
  posts.length = 0;
  webFailures = 0;
  clock = Date.parse('2024-05-01T13:00:00Z');
  channels = createChannels(
    [
      { type: 'sns', topicArn },
      {
        type: 'smtp',
        host: '127.0.0.1',
        port: smtpPort,
        secure: false,
        from: 'keywarden@example.com',
        to: 'sec@example.com',
      },
      { type: 'webhook', url: webUrl, kind: 'generic' },
    ],
    { sns: snsClient },
  );
});
afterEach(async () => {
  await temp.cleanup();
});

const publicEvent = (id = 'deliver-1', ...more: Array<Record<string, unknown>>) =>
  envelope(putKeyPolicy({ time: minute(1), id, policy: policyText(PUBLIC_STATEMENT, ...more) }));

const watch = (event: unknown) =>
  handleWatchEvent(
    event,
    { store: temp.store, now },
    { ...SETTINGS, channels: channels.map((c) => c.name), replay: true },
  );

describe('outbox delivery', () => {
  it('sends every channel once; a failing webhook is retried alone and delivered later', async () => {
    webFailures = 1;
    const outcome = await watch(publicEvent());
    expect(outcome.status).toBe('analysed');
    const first = await deliverOutbox(temp.store, channels, { now });
    expect(first.sent).toBe(2);
    expect(first.retrying).toHaveLength(1);
    expect(first.retrying[0]?.channel).toMatch(/^webhook:/);
    expect(first.retrying[0]?.error).toContain('503');
    expect(await sns.queueMessages('inbox')).toHaveLength(1);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain('CRITICAL public-key');

    // Not due yet: nothing is sent again.
    expect((await deliverOutbox(temp.store, channels, { now })).sent).toBe(0);
    clock += 60 * 60_000;
    const retried = await deliverOutbox(temp.store, channels, { now });
    expect(retried.sent).toBe(1);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({
      format: 'keywarden.notification/v1',
      severity: 'critical',
      change: { eventId: 'deliver-1' },
    });
    expect(await sns.queueMessages('inbox')).toHaveLength(1);
    expect(mails).toHaveLength(1);

    // The same event delivered again alerts nobody.
    await watch(publicEvent());
    expect((await deliverOutbox(temp.store, channels, { now })).sent).toBe(0);
  });

  it('groups the new findings of one change into one notification per channel', async () => {
    const outcome = await watch(publicEvent('grouped', outsiderStatement(OUTSIDER)));
    if (outcome.status !== 'analysed') throw new Error(outcome.status);
    const perChannel = outcome.alerts.ids.length;
    expect(perChannel).toBeGreaterThan(1);
    const report = await deliverOutbox(temp.store, channels, { now });
    expect(report.sent).toBe(3);
    expect(report.delivered).toHaveLength(perChannel * 3);
    expect(posts[0]?.findings).toHaveLength(perChannel);
  });

  it('keeps a message that keeps failing as a dead letter, and never blocks the other channels', async () => {
    webFailures = 1_000;
    await watch(publicEvent('dead'));
    let report = await deliverOutbox(temp.store, channels, { now, maxAttempts: 3 });
    const webhookIds = report.retrying.map((r) => r.id);
    expect(report.sent).toBe(2);
    for (let i = 0; i < 3; i++) {
      clock += 24 * 3_600_000;
      report = await deliverOutbox(temp.store, channels, { now, maxAttempts: 3 });
      expect(report.sent).toBe(0);
    }
    for (const id of webhookIds) {
      const message = await temp.store.getMessage(id);
      expect(message).toMatchObject({ status: 'dead', attempts: 3 });
      expect(message?.lastError).toContain('503');
    }
    expect(mails).toHaveLength(1);
  });

  it('does not lose an alert whose channel is no longer configured: it is kept with the reason', async () => {
    await watch(publicEvent('gone'));
    const withoutWebhook = channels.filter((c) => !c.name.startsWith('webhook:'));
    const report = await deliverOutbox(temp.store, withoutWebhook, { now, maxAttempts: 1 });
    expect(report.dead.length).toBeGreaterThan(0);
    expect(report.dead[0]?.error).toContain('no channel named');
  });
});
