import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeFromCloudTrail } from '../../../src/sinks/notify/change';
import { ChannelError } from '../../../src/sinks/notify/channel';
import type { SmtpChannelConfig } from '../../../src/sinks/notify/config';
import { createChannel } from '../../../src/sinks/notify/create';
import { buildNotification, keyRefOf } from '../../../src/sinks/notify/message';
import { createSmtpChannel } from '../../../src/sinks/notify/smtp';
import { loadReports, readFixture } from '../fixtures/load';
import { parseMail } from '../helpers/mime';

const USER = 'alerts@example.com';
/** The secret canary: it must never show up in an error, a log or any output. */
const PASSWORD = 'canary-pw-7f3a9c1e-DO-NOT-PRINT';

const report = loadReports().find((r) => r.access.reach === 'public')!;
const message = buildNotification({
  findings: report.findings,
  key: keyRefOf(report.key),
  change: changeFromCloudTrail(readFixture('cloudtrail-put-key-policy.json')),
});

const received: Array<{ raw: string; from?: string; to: string[]; user?: string }> = [];
let server: SMTPServer;
let port: number;

beforeAll(async () => {
  server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          raw: Buffer.concat(chunks).toString('utf8'),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Everything written to the console or the standard streams while a test runs. */
let printed: string[] = [];
beforeEach(() => {
  printed = [];
  received.length = 0;
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      printed.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  expect(printed.join('\n')).not.toContain(PASSWORD);
});

const env = { KEYWARDEN_SMTP_PASSWORD: PASSWORD };
const config = (): SmtpChannelConfig & { to: string[]; secure: boolean } => ({
  type: 'smtp',
  host: '127.0.0.1',
  port,
  secure: false,
  user: USER,
  passwordEnv: 'KEYWARDEN_SMTP_PASSWORD',
  from: 'keywarden <alerts@example.com>',
  to: ['security@example.com', 'oncall@example.com'],
});

function expectNoSecret(error: ChannelError) {
  for (const view of [error.message, String(error), JSON.stringify(error), error.stack ?? '', error.channel]) {
    expect(view).not.toContain(PASSWORD);
    expect(view).not.toContain(Buffer.from(PASSWORD).toString('base64'));
  }
}

describe('SMTP channel (smtp-server on 127.0.0.1)', () => {
  it('sends subject, plain text and HTML, read back from the server', async () => {
    const channel = createChannel(config(), { env });
    expect(channel.name).toBe(`smtp:127.0.0.1:${port}`);
    await channel.send(message);
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.user).toBe(USER);
    expect(mail.from).toBe('alerts@example.com');
    expect(mail.to).toEqual(['security@example.com', 'oncall@example.com']);
    const parsed = parseMail(mail.raw);
    expect(parsed.headers.get('subject')).toBe(message.subject);
    expect(parsed.headers.get('to')).toBe('security@example.com, oncall@example.com');
    expect(parsed.text?.trimEnd()).toBe(message.text.trimEnd());
    expect(parsed.html?.trimEnd()).toBe(message.html.trimEnd());
    expect(parsed.text).toContain('Changed by:       arn:aws:iam::111122223333:user/Alice');
    expect(mail.raw).not.toContain(PASSWORD);
  });

  it('refuses a wrong password with EAUTH, not retryable, and never shows the password', async () => {
    const wrong = `${PASSWORD}-but-wrong`;
    const channel = createChannel(config(), { env: { KEYWARDEN_SMTP_PASSWORD: wrong } });
    const error = (await channel.send(message).catch((e: unknown) => e)) as ChannelError;
    expect(error).toBeInstanceOf(ChannelError);
    expect(error.code).toBe('EAUTH');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`could not send the e-mail through 127.0.0.1:${port}`);
    expect(error.message).toContain('check the user and the password');
    expectNoSecret(error);
    expect(error.message).not.toContain(wrong);
    expect(received).toHaveLength(0);
  });

  it('says which environment variable is missing, without sending', async () => {
    const channel = createChannel(config(), { env: {} });
    const error = (await channel.send(message).catch((e: unknown) => e)) as ChannelError;
    expect(error.code).toBe('NO_PASSWORD');
    expect(error.message).toContain('KEYWARDEN_SMTP_PASSWORD');
    expect(error.retryable).toBe(false);
    expect(received).toHaveLength(0);
  });

  it('fails as retryable when the server cannot be reached, and never shows the password', async () => {
    const closed = new SMTPServer({ logger: false });
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const channel = createSmtpChannel({
      ...config(),
      port: closedPort,
      to: ['security@example.com'],
      env,
      timeoutMs: 2000,
    });
    const error = (await channel.send(message).catch((e: unknown) => e)) as ChannelError;
    expect(error).toBeInstanceOf(ChannelError);
    expect(error.retryable).toBe(true);
    expect(error.code).toBe('ESOCKET');
    expectNoSecret(error);
  });

  it('scrubs the password even if a server echoes it back', async () => {
    const echo = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        callback(Object.assign(new Error(`no such login ${auth.username}/${auth.password}`), { responseCode: 535 }));
      },
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const echoPort = (echo.server.address() as AddressInfo).port;
    const channel = createSmtpChannel({ ...config(), port: echoPort, to: ['security@example.com'], env });
    const error = (await channel.send(message).catch((e: unknown) => e)) as ChannelError;
    await new Promise<void>((resolve) => echo.close(() => resolve()));
    expect(error.message).toContain('[redacted]');
    expectNoSecret(error);
  });
});
