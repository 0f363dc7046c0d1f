/**
 * Webhooks: a JSON POST. `slack` sends Slack's `text` + blocks; `generic` sends the notification payload.
 * The URL is a secret (Slack's path is the credential): errors and the channel name show only scheme and host.
 */
import { type Channel, ChannelError, describe, redactUrl, scrub } from './channel';
import { slackBody } from './slack';
import type { NotificationMessage } from './types';

export type WebhookKind = 'slack' | 'generic';

export interface WebhookChannelOptions {
  url: string;
  kind: WebhookKind;
  /** Request timeout in milliseconds (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  name?: string;
}

export function webhookBody(kind: WebhookKind, message: NotificationMessage): unknown {
  return kind === 'slack' ? slackBody(message) : message.payload;
}

const causeCode = (error: unknown): string | undefined => {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
};

export function createWebhookChannel(options: WebhookChannelOptions): Channel {
  const shown = redactUrl(options.url);
  const name = options.name ?? `webhook:${shown}`;
  const parsed = URL.canParse(options.url) ? new URL(options.url) : undefined;
  const secrets = [
    options.url,
    parsed && parsed.pathname.length > 1 ? parsed.pathname : undefined,
    parsed?.search.slice(1),
  ];
  const fail = (text: string, retryable: boolean, code?: string) =>
    new ChannelError(name, scrub(`${name}: ${text}`, secrets), { retryable, code });
  return {
    name,
    async send(message) {
      if (!parsed)
        throw fail('the webhook URL is not a valid URL; fix url in the channels configuration', false, 'BAD_URL');
      const doFetch = options.fetch ?? fetch;
      let response: Response;
      try {
        response = await doFetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'keywarden' },
          body: JSON.stringify(webhookBody(options.kind, message)),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        const code =
          causeCode(error) ?? (error instanceof Error && error.name === 'TimeoutError' ? 'TIMEOUT' : undefined);
        throw fail(
          `could not POST to ${shown}: ${describe(error)}${code ? ` (${code})` : ''}; will be retried`,
          true,
          code,
        );
      }
      const body = (await response.text().catch(() => '')).slice(0, 200);
      if (response.ok) return;
      const status = response.status;
      const retryable = status === 408 || status === 429 || status >= 500;
      const hint = retryable
        ? 'will be retried'
        : status === 404 || status === 410 || status === 403
          ? 'the webhook is gone or refuses this sender: check url in the channels configuration'
          : 'the receiver refused the message';
      throw fail(
        `${shown} answered HTTP ${status}${body ? ` "${body.replace(/\s+/g, ' ')}"` : ''}; ${hint}`,
        retryable,
        `HTTP ${status}`,
      );
    },
  };
}
