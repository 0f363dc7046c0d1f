import { toJson } from '../content';
import { StoreError } from '../errors';
import { leaseUntilOf, outboxErrorText } from '../outbox-rules';
import type { Retention } from '../retention';
import type { ClaimedMessage, OutboxMessage, OutboxMessageInput, OutboxStatus } from '../store';
import { addDays, epochSeconds, isoTime } from '../time';
import { type Item, json, N, num, optStr, S, str } from './attributes';
import { keys } from './keys';
import { DUE_INDEX } from './table';
import type { TableClient } from './table-client';

const toMessage = (item: Item): OutboxMessage => {
  const dueAt = optStr(item, 'dueAt');
  const lastError = optStr(item, 'lastError');
  const deliveredAt = optStr(item, 'deliveredAt');
  return {
    id: str(item, 'messageId'),
    channel: str(item, 'channel'),
    payload: json(item, 'payload'),
    status: str(item, 'status') as OutboxStatus,
    createdAt: str(item, 'createdAt'),
    ...(dueAt !== undefined ? { dueAt } : {}),
    attempts: num(item, 'attempts'),
    ...(lastError !== undefined ? { lastError } : {}),
    ...(deliveredAt !== undefined ? { deliveredAt } : {}),
  };
};

/** An item that is absent or whose TTL has passed counts as absent, whether or not DynamoDB has deleted it yet. */
const ABSENT_OR_EXPIRED = 'attribute_not_exists(pk) OR #expiresAt <= :now';

export const outboxOperations = (table: TableClient, retention: Retention) => {
  const noSuchMessage = (id: string) =>
    new StoreError(
      `no outbox message with id ${JSON.stringify(id)} in DynamoDB table ${table.tableName}: ` +
        'it was never enqueued or has expired',
      table.tableName,
    );

  /** Lease one due message; undefined when another worker leased it (or it stopped being due) first. */
  const lease = async (key: { pk: string; sk: string }, now: string, leaseUntil: string) => {
    const item = await table.update(
      key,
      'SET #status = :claimed, #dueAt = :until, #gsi1sk = :until',
      { ':claimed': S('claimed'), ':until': S(leaseUntil) },
      {
        condition: 'attribute_exists(pk) AND #status IN (:pending, :claimed) AND #dueAt <= :now',
        values: { ':pending': S('pending'), ':now': S(now) },
      },
    );
    return item && ({ ...toMessage(item), status: 'claimed', leaseUntil } as ClaimedMessage);
  };

  return {
    async enqueue(message: OutboxMessageInput, nowInput: string): Promise<boolean> {
      const now = isoTime(nowInput, 'now');
      const key = keys.outboxMessage(message.id);
      return table.put(
        {
          pk: S(key.pk),
          sk: S(key.sk),
          messageId: S(message.id),
          channel: S(message.channel),
          payload: S(toJson(message.payload, 'outbox message payload')),
          status: S('pending'),
          createdAt: S(now),
          dueAt: S(now),
          attempts: N(0),
          gsi1pk: S(keys.dueOutbox),
          gsi1sk: S(now),
        },
        { condition: ABSENT_OR_EXPIRED, values: { ':now': N(epochSeconds(now)) } },
      );
    },

    /** Candidates come from the sparse due index; each lease is a conditional write on the message itself. */
    async claim(nowInput: string, leaseMs: number, limit: number): Promise<ClaimedMessage[]> {
      const now = isoTime(nowInput, 'now');
      const leaseUntil = leaseUntilOf(now, leaseMs);
      const claimed: ClaimedMessage[] = [];
      if (!(limit >= 1)) return claimed;
      const wanted = Math.floor(limit);
      let batch: Array<{ pk: string; sk: string }> = [];
      const flush = async () => {
        const results = await Promise.all(batch.map((key) => lease(key, now, leaseUntil)));
        for (const message of results) if (message) claimed.push(message);
        batch = [];
      };
      for await (const candidate of table.query({
        indexName: DUE_INDEX,
        keyCondition: 'gsi1pk = :due AND gsi1sk <= :now',
        values: { ':due': S(keys.dueOutbox), ':now': S(now) },
      })) {
        batch.push({ pk: str(candidate, 'pk'), sk: str(candidate, 'sk') });
        if (claimed.length + batch.length >= wanted) await flush();
        if (claimed.length >= wanted) break;
      }
      await flush();
      return claimed;
    },

    async acknowledge(id: string, nowInput: string): Promise<void> {
      const now = isoTime(nowInput, 'now');
      const key = keys.outboxMessage(id);
      const written = await table.update(
        key,
        'SET #status = :delivered, #deliveredAt = :now, #expiresAt = :expires REMOVE #dueAt, #gsi1pk, #gsi1sk',
        { ':now': S(now), ':expires': N(epochSeconds(addDays(now, retention.outboxDays))) },
        { condition: 'attribute_exists(pk) AND #status <> :delivered', values: { ':delivered': S('delivered') } },
      );
      if (!written && !(await table.get(key))) throw noSuchMessage(id);
    },

    async fail(id: string, error: string, retryAtInput: string | null): Promise<{ attempts: number }> {
      const retryAt = retryAtInput === null ? null : isoTime(retryAtInput, 'retryAt');
      const key = keys.outboxMessage(id);
      const values: Item = { ':one': N(1), ':error': S(outboxErrorText(error)) };
      const update =
        retryAt === null
          ? 'SET #status = :dead, #attempts = #attempts + :one, #lastError = :error REMOVE #dueAt, #gsi1pk, #gsi1sk'
          : 'SET #status = :pending, #attempts = #attempts + :one, #lastError = :error, #dueAt = :retry, ' +
            '#gsi1pk = :due, #gsi1sk = :retry';
      if (retryAt === null) values[':dead'] = S('dead');
      else Object.assign(values, { ':retry': S(retryAt), ':due': S(keys.dueOutbox) });
      const written = await table.update(key, update, values, {
        condition: 'attribute_exists(pk) AND #status IN (:pending, :claimed)',
        values: { ':pending': S('pending'), ':claimed': S('claimed') },
      });
      if (written) return { attempts: num(written, 'attempts') };
      const current = await table.get(key);
      if (!current) throw noSuchMessage(id);
      return { attempts: num(current, 'attempts') };
    },

    async get(id: string): Promise<OutboxMessage | undefined> {
      const item = await table.get(keys.outboxMessage(id));
      return item && toMessage(item);
    },
  };
};

export const processedEventOperations = (table: TableClient, retention: Retention) => ({
  /** One conditional put: of any number of concurrent callers, exactly one sees true. */
  async mark(eventId: string, nowInput: string): Promise<boolean> {
    const now = isoTime(nowInput, 'now');
    const key = keys.processedEvent(eventId);
    return table.put(
      {
        pk: S(key.pk),
        sk: S(key.sk),
        processedAt: S(now),
        expiresAt: N(epochSeconds(addDays(now, retention.processedEventDays))),
      },
      { condition: ABSENT_OR_EXPIRED, values: { ':now': N(epochSeconds(now)) } },
    );
  },
});
