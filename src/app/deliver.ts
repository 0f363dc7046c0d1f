/**
 * Outbox delivery: claim due messages, send each channel its own (the messages of one change of one key go out as
 * one notification), acknowledge what was sent, and record each failure with a retry time. Every channel has its own
 * messages, so a failing channel is retried alone and never blocks nor duplicates the others; a message that keeps
 * failing ends as a dead letter, kept in the store with its last error, never silently lost.
 */
import type { Finding } from '../findings/types';
import { type Channel, ChannelError } from '../sinks/notify/channel';
import { buildNotification } from '../sinks/notify/message';
import type { ClaimedMessage, Store } from '../store/store';
import type { AlertPayload } from './watch-alerts';

export interface DeliverOptions {
  now: () => string;
  /** How long a claim lasts (default 2 minutes: longer than a send's timeout). */
  leaseMs?: number;
  /** Messages claimed at once (default 50). */
  batchSize?: number;
  /** Failed deliveries before a message becomes a dead letter (default 8). */
  maxAttempts?: number;
  /** Wait before the next try after `attempts` failures, in ms (default 30 s doubling, at most 6 h). */
  backoffMs?: (attempts: number) => number;
  /** A send that takes longer fails (retryable) (default 30 s). */
  sendTimeoutMs?: number;
  /** Checked before each claim: false stops (a Lambda running out of time). */
  keepGoing?: () => boolean;
}

export interface DeliveryReport {
  /** Notifications sent (one per channel and change). */
  sent: number;
  delivered: string[];
  retrying: Array<{ id: string; channel: string; error: string; retryAt: string; attempts: number }>;
  dead: Array<{ id: string; channel: string; error: string }>;
}

export const defaultBackoffMs = (attempts: number): number =>
  Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);

const isPayload = (value: unknown): value is AlertPayload => {
  const p = value as Partial<AlertPayload> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    (p.kind === 'new' || p.kind === 'resolved' || p.kind === 'detection') &&
    typeof p.group === 'string' &&
    typeof p.key?.arn === 'string' &&
    typeof p.finding?.id === 'string'
  );
};

const withNote = (payload: AlertPayload): Finding =>
  payload.note
    ? { ...payload.finding, explanation: `${payload.finding.explanation} ${payload.note}` }
    : payload.finding;

async function withTimeout<T>(work: Promise<T>, ms: number, channel: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ChannelError(channel, `${channel}: no answer within ${ms} ms`, { retryable: true, code: 'TIMEOUT' }),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const describeError = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';

/** Sends every due message once; call again later for the retries (the Lambda does after each event). */
export async function deliverOutbox(
  store: Store,
  channels: readonly Channel[],
  options: DeliverOptions,
): Promise<DeliveryReport> {
  const leaseMs = options.leaseMs ?? 120_000;
  const batchSize = options.batchSize ?? 50;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoff = options.backoffMs ?? defaultBackoffMs;
  const timeoutMs = options.sendTimeoutMs ?? 30_000;
  const byName = new Map(channels.map((c) => [c.name, c]));
  const report: DeliveryReport = { sent: 0, delivered: [], retrying: [], dead: [] };

  const failAll = async (messages: ClaimedMessage[], error: string, retryable: boolean) => {
    const now = options.now();
    for (const message of messages) {
      const attempts = message.attempts + 1;
      const giveUp = attempts >= maxAttempts;
      const retryAt = giveUp ? null : new Date(Date.parse(now) + backoff(attempts)).toISOString();
      const text = `${retryable ? '' : '(not retryable as configured) '}${error}`;
      await store.fail(message.id, text, retryAt);
      if (retryAt === null) report.dead.push({ id: message.id, channel: message.channel, error: text });
      else report.retrying.push({ id: message.id, channel: message.channel, error: text, retryAt, attempts });
    }
  };

  for (let round = 0; round < 1000; round++) {
    if (options.keepGoing && !options.keepGoing()) break;
    const claimed = await store.claim(options.now(), leaseMs, batchSize);
    if (claimed.length === 0) break;
    const groups = new Map<string, ClaimedMessage[]>();
    for (const message of claimed) {
      if (!isPayload(message.payload)) {
        await store.fail(message.id, 'not a keywarden alert payload: kept as a dead letter', null);
        report.dead.push({ id: message.id, channel: message.channel, error: 'not an alert payload' });
        continue;
      }
      const name = `${message.channel}\n${message.payload.group}`;
      groups.set(name, [...(groups.get(name) ?? []), message]);
    }
    await Promise.all(
      [...groups.values()].map(async (messages) => {
        const channelName = messages[0]!.channel;
        const channel = byName.get(channelName);
        if (!channel) {
          const known = [...byName.keys()].join(', ') || 'none';
          await failAll(
            messages,
            `no channel named "${channelName}" is configured (configured: ${known}): add it back to notifications.channels in keywarden.yaml`,
            false,
          );
          return;
        }
        const payloads = messages.map((m) => m.payload as AlertPayload);
        const message = buildNotification({
          findings: payloads.filter((p) => p.kind !== 'resolved').map(withNote),
          resolved: payloads.filter((p) => p.kind === 'resolved').map((p) => p.finding),
          key: payloads[0]!.key,
          ...(payloads.find((p) => p.change)?.change ? { change: payloads.find((p) => p.change)!.change! } : {}),
        });
        try {
          await withTimeout(channel.send(message), timeoutMs, channel.name);
        } catch (error) {
          const retryable = !(error instanceof ChannelError) || error.retryable;
          await failAll(messages, describeError(error), retryable);
          return;
        }
        report.sent += 1;
        const now = options.now();
        for (const m of messages) {
          await store.acknowledge(m.id, now);
          report.delivered.push(m.id);
        }
      }),
    );
  }
  return report;
}
