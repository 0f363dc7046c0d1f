/**
 * A notification channel sends one message somewhere. Failure is a ChannelError with a message a user can act on
 * and that never contains a secret (SMTP password, webhook path or query); `retryable` tells the outbox whether
 * trying again later can help.
 */
import type { NotificationMessage } from './types';

export interface Channel {
  /** Non-secret name for logs and the outbox: `sns:<topic ARN>`, `smtp:<host>:<port>`, `webhook:<origin>/…`. */
  name: string;
  send(message: NotificationMessage): Promise<void>;
}

export class ChannelError extends Error {
  override readonly name = 'ChannelError';
  readonly channel: string;
  readonly retryable: boolean;
  /** The service's or library's error code (AuthorizationError, EAUTH, HTTP 404...), when there is one. */
  readonly code?: string;

  constructor(channel: string, message: string, options: { retryable: boolean; code?: string }) {
    super(message);
    this.channel = channel;
    this.retryable = options.retryable;
    this.code = options.code;
  }
}

/** `https://hooks.slack.com/services/T/B/SECRET?x=1` -> `https://hooks.slack.com/…`: scheme, host and port only. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const hasMore = parsed.pathname.length > 1 || parsed.search !== '' || parsed.hash !== '';
    return `${parsed.protocol}//${parsed.host}${hasMore ? '/…' : '/'}`;
  } catch {
    return '(unparseable URL)';
  }
}

/** Replaces every occurrence of each secret (and its URL-encoded and base64 forms) with `[redacted]`. */
export function scrub(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    const forms = new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]);
    for (const form of forms) out = out.split(form).join('[redacted]');
  }
  return out;
}

/** The message text of anything thrown, without its stack. */
export const describe = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';
