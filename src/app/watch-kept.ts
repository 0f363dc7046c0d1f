/**
 * Events the watch cannot handle (not a CloudTrail record, an unexpected shape, an event it does not follow) are
 * logged and kept, never dropped: each is stored once as a dead outbox message on the `watch:unhandled-event`
 * channel (kept, never delivered), with the reason and without secret values. Look at them with the store;
 * re-enqueue under a new id to retry.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../store/store';

export const UNHANDLED_CHANNEL = 'watch:unhandled-event';

/** Field names whose values are never stored or logged (an STS event carries a session token, for one). */
const SECRET_FIELD = /secret|token|password|credential/i;

/** A copy without secret values. */
export function withoutSecrets(value: unknown, depth = 0): unknown {
  if (depth > 64) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([name, v]) => [
        name,
        SECRET_FIELD.test(name) && (typeof v === 'string' || (v !== null && typeof v === 'object'))
          ? '[redacted]'
          : withoutSecrets(v, depth + 1),
      ]),
    );
  }
  return value;
}

const jsonOf = (value: unknown): string => {
  try {
    return JSON.stringify(withoutSecrets(value)) ?? 'null';
  } catch {
    return JSON.stringify('(not JSON)');
  }
};

export async function keepUnhandled(
  store: Store,
  input: unknown,
  reason: string,
  now: string,
  log?: (entry: Record<string, unknown>) => void,
): Promise<{ status: 'kept'; reason: string; messageId: string }> {
  const text = jsonOf(input);
  const messageId = `unhandled:${createHash('sha256').update(text).digest('hex').slice(0, 40)}`;
  const added = await store.enqueue(
    { id: messageId, channel: UNHANDLED_CHANNEL, payload: { reason, event: JSON.parse(text) as unknown } },
    now,
  );
  if (added) await store.fail(messageId, reason, null);
  log?.({ outcome: 'kept', reason, messageId });
  return { status: 'kept', reason, messageId };
}
