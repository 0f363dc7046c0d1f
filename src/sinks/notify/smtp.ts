/**
 * E-mail through SMTP with nodemailer: the subject, the plain text and the HTML body. The password is read from
 * the environment variable named in the configuration at send time, and never appears in an error or a log.
 */
import nodemailer from 'nodemailer';
import { type Channel, ChannelError, describe, scrub } from './channel';
import type { NotificationMessage } from './types';

export interface SmtpChannelOptions {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS is used when the server offers it. */
  secure: boolean;
  user?: string;
  /** Name of the environment variable that holds the password (never the password itself). */
  passwordEnv?: string;
  from: string;
  to: readonly string[];
  /** Where passwordEnv is looked up; the process environment by default. */
  env?: Record<string, string | undefined>;
  /** Connection, greeting and socket timeout in milliseconds (default 30 s). */
  timeoutMs?: number;
  name?: string;
}

interface MailErrorLike {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

const RETRYABLE_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'ECONNREFUSED']);

const HINTS: Record<string, string> = {
  EAUTH: 'check the user and the password in the environment variable named by passwordEnv',
  EENVELOPE: 'check the from and to addresses',
  ETLS: 'check port and secure (465 = secure: true; 587 or 25 = secure: false with STARTTLS)',
  ECONNECTION: 'check host and port, and that the server is reachable',
  ETIMEDOUT: 'the server did not answer in time',
  EDNS: 'check the host name',
};

function mailError(name: string, where: string, error: unknown, secrets: Array<string | undefined>): ChannelError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as MailErrorLike;
  const code = e.code;
  const retryable =
    (code !== undefined && RETRYABLE_CODES.has(code)) ||
    (e.responseCode !== undefined && e.responseCode >= 400 && e.responseCode < 500);
  const hint = retryable ? 'will be retried' : (HINTS[code ?? ''] ?? 'see the message');
  const text = `${name}: could not send the e-mail through ${where}: ${describe(error)}${code ? ` (${code})` : ''}; ${hint}`;
  return new ChannelError(name, scrub(text, secrets), { retryable, code });
}

export function mailOf(options: Pick<SmtpChannelOptions, 'from' | 'to'>, message: NotificationMessage) {
  return { from: options.from, to: [...options.to], subject: message.subject, text: message.text, html: message.html };
}

export function createSmtpChannel(options: SmtpChannelOptions): Channel {
  const where = `${options.host}:${options.port}`;
  const name = options.name ?? `smtp:${where}`;
  return {
    name,
    async send(message) {
      const env = options.env ?? process.env;
      let password: string | undefined;
      if (options.user) {
        password = options.passwordEnv ? env[options.passwordEnv] : undefined;
        if (!password) {
          const variable = options.passwordEnv ?? '(passwordEnv not set)';
          throw new ChannelError(
            name,
            `${name}: no SMTP password for user ${options.user}: the environment variable ${variable} is empty or not set; set it, or name the right variable in passwordEnv`,
            { retryable: false, code: 'NO_PASSWORD' },
          );
        }
      }
      const secrets = [password, options.user && password ? `\u0000${options.user}\u0000${password}` : undefined];
      const timeout = options.timeoutMs ?? 30_000;
      const transport = nodemailer.createTransport({
        host: options.host,
        port: options.port,
        secure: options.secure,
        ...(options.user && password ? { auth: { user: options.user, pass: password } } : {}),
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
        logger: false,
        debug: false,
      });
      try {
        await transport.sendMail(mailOf(options, message));
      } catch (error) {
        throw mailError(name, where, error, secrets);
      } finally {
        transport.close();
      }
    },
  };
}
