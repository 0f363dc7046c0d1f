import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { changeFromCloudTrail } from '../../../src/sinks/notify/change';
import { ChannelError, redactUrl } from '../../../src/sinks/notify/channel';
import { createChannel } from '../../../src/sinks/notify/create';
import { buildNotification, keyRefOf } from '../../../src/sinks/notify/message';
import type { NotificationPayload } from '../../../src/sinks/notify/types';
import { createWebhookChannel } from '../../../src/sinks/notify/webhook';
import { loadReports, readFixture } from '../fixtures/load';

/** The secret parts of a webhook URL: Slack's path is the credential; some services use a query token. */
const SECRET_PATH = '/services/T0000CANARY/B0000CANARY/canaryWebhookSecret123';
const SECRET_QUERY = 'token=canaryQueryToken456';

const reports = loadReports();
const publicReport = reports.find((r) => r.access.reach === 'public')!;
const message = buildNotification({
  findings: publicReport.findings,
  key: keyRefOf(publicReport.key),
  change: changeFromCloudTrail(readFixture('cloudtrail-put-key-policy.json')),
});

interface Block {
  type: string;
  text: { type: string; text: string };
  elements: Array<{ type: string; text: string }>;
}

interface Received {
  method?: string;
  url?: string;
  contentType?: string;
  body: string;
}
const requests: Received[] = [];
let answer: { status: number; body: string } = { status: 200, body: 'ok' };
let server: Server;
let base: string;

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

beforeAll(async () => {
  server = createServer(async (req, res) => {
    requests.push({
      method: req.method,
      url: req.url,
      contentType: req.headers['content-type'],
      body: await readBody(req),
    });
    res.writeHead(answer.status, { 'content-type': 'text/plain' });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests.length = 0;
  answer = { status: 200, body: 'ok' };
});

function expectNoSecret(text: string) {
  expect(text).not.toContain('canaryWebhookSecret123');
  expect(text).not.toContain('T0000CANARY');
  expect(text).not.toContain('canaryQueryToken456');
}

describe('webhook channel (local HTTP server)', () => {
  it('posts Slack text and blocks as JSON', async () => {
    const channel = createChannel({ type: 'webhook', url: `${base}${SECRET_PATH}`, kind: 'slack' });
    await channel.send(message);
    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(SECRET_PATH);
    expect(request.contentType).toMatch(/^application\/json/);
    const body = JSON.parse(request.body) as { text: string; blocks: Block[] };
    expect(body.text).toBe(message.subject);
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: message.subject } });
    const markdown = body.blocks.filter((b) => b.type === 'section').map((b) => b.text.text);
    expect(markdown[0]).toContain(`<${message.consoleUrl}|Open in the AWS console>`);
    expect(markdown.some((t) => t.startsWith('*[CRITICAL] public-key*: Anyone on the internet can decrypt'))).toBe(
      true,
    );
    const context = body.blocks.find((b) => b.type === 'context')!;
    expect(context.elements[0]!.text).toContain('arn:aws:iam::111122223333:user/Alice');
    expect(body.blocks.length).toBeLessThanOrEqual(50);
  });

  it('escapes Slack control characters in finding text', async () => {
    const finding = { ...publicReport.findings[0]!, title: 'see <!channel> & <http://evil|click>' };
    const channel = createWebhookChannel({ url: `${base}${SECRET_PATH}`, kind: 'slack' });
    await channel.send(buildNotification({ findings: [finding], key: keyRefOf(publicReport.key) }));
    const body = JSON.parse(requests[0]!.body) as { blocks: Block[] };
    const text = body.blocks
      .filter((b) => b.type === 'section')
      .map((b) => b.text.text)
      .join('\n');
    expect(text).toContain('see &lt;!channel&gt; &amp; &lt;http://evil|click&gt;');
    expect(text).not.toContain('<!channel>');
  });

  it('posts the notification payload to a generic webhook', async () => {
    await createChannel({ type: 'webhook', url: `${base}/hook?${SECRET_QUERY}`, kind: 'generic' }).send(message);
    const payload = JSON.parse(requests[0]!.body) as NotificationPayload;
    expect(payload).toEqual(JSON.parse(JSON.stringify(message.payload)));
    expect(payload.format).toBe('keywarden.notification/v1');
    expect(payload.findings).toHaveLength(3);
  });

  it('keeps the URL secret out of its name and its errors, and retries server errors', async () => {
    answer = { status: 503, body: 'upstream busy' };
    const channel = createWebhookChannel({ url: `${base}${SECRET_PATH}?${SECRET_QUERY}`, kind: 'slack' });
    expect(channel.name).toBe(`webhook:${base}/…`);
    const error = (await channel.send(message).catch((e: unknown) => e)) as ChannelError;
    expect(error).toBeInstanceOf(ChannelError);
    expect(error.retryable).toBe(true);
    expect(error.code).toBe('HTTP 503');
    expect(error.message).toContain(`${base}/… answered HTTP 503 "upstream busy"; will be retried`);
    expectNoSecret(`${error.message} ${String(error)} ${error.stack} ${JSON.stringify(error)} ${channel.name}`);
  });

  it('does not retry a webhook that is gone, and scrubs an echoed secret', async () => {
    answer = { status: 404, body: `no_service for ${SECRET_PATH}` };
    const channel = createWebhookChannel({ url: `${base}${SECRET_PATH}`, kind: 'slack' });
    const error = (await channel.send(message).catch((e: unknown) => e)) as ChannelError;
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('the webhook is gone or refuses this sender');
    expect(error.message).toContain('[redacted]');
    expectNoSecret(error.message);
  });

  it('fails as retryable when nothing listens, without the secret', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const channel = createWebhookChannel({ url: `http://127.0.0.1:${port}${SECRET_PATH}`, kind: 'generic' });
    const error = (await channel.send(message).catch((e: unknown) => e)) as ChannelError;
    expect(error).toBeInstanceOf(ChannelError);
    expect(error.retryable).toBe(true);
    expect(error.code).toBe('ECONNREFUSED');
    expectNoSecret(`${error.message} ${error.stack}`);
  });

  it('reads the URL from an environment variable when configured so', async () => {
    const channel = createChannel(
      { type: 'webhook', urlEnv: 'KEYWARDEN_SLACK_URL', kind: 'slack' },
      { env: { KEYWARDEN_SLACK_URL: `${base}${SECRET_PATH}` } },
    );
    await channel.send(message);
    expect(requests[0]!.url).toBe(SECRET_PATH);
    const missing = createChannel({ type: 'webhook', urlEnv: 'KEYWARDEN_SLACK_URL', kind: 'slack' }, { env: {} });
    await expect(missing.send(message)).rejects.toThrow(/KEYWARDEN_SLACK_URL .* empty or not set/);
  });

  it('redacts URLs down to scheme and host', () => {
    expect(redactUrl('https://user:pw@hooks.slack.com/services/T/B/X?y=1#z')).toBe('https://hooks.slack.com/…');
    expect(redactUrl('https://example.com')).toBe('https://example.com/');
    expect(redactUrl('not a url')).toBe('(unparseable URL)');
  });
});
