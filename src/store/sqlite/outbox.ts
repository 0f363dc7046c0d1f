import type Database from 'better-sqlite3';
import { toJson } from '../content';
import { StoreError } from '../errors';
import { leaseUntilOf, outboxErrorText } from '../outbox-rules';
import type { Retention } from '../retention';
import type { ClaimedMessage, OutboxMessage, OutboxMessageInput, OutboxStatus } from '../store';
import { addDays, isoTime } from '../time';

interface OutboxRow {
  message_id: string;
  channel: string;
  payload: string;
  status: OutboxStatus;
  created_at: string;
  due_at: string | null;
  attempts: number;
  last_error: string | null;
  delivered_at: string | null;
}

const toMessage = (row: OutboxRow): OutboxMessage => ({
  id: row.message_id,
  channel: row.channel,
  payload: JSON.parse(row.payload),
  status: row.status,
  createdAt: row.created_at,
  ...(row.due_at !== null ? { dueAt: row.due_at } : {}),
  attempts: row.attempts,
  ...(row.last_error !== null ? { lastError: row.last_error } : {}),
  ...(row.delivered_at !== null ? { deliveredAt: row.delivered_at } : {}),
});

const noSuchMessage = (id: string) =>
  new StoreError(`no outbox message with id ${JSON.stringify(id)}: it was never enqueued or has expired`, 'outbox');

export const outboxQueries = (db: Database.Database, retention: Retention) => {
  const get = db.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE message_id = ?');
  const purge = db.prepare<[string]>('DELETE FROM outbox WHERE expires_at IS NOT NULL AND expires_at <= ?');
  const insert = db.prepare<{ id: string; channel: string; payload: string; now: string }>(
    `INSERT OR IGNORE INTO outbox (message_id, channel, payload, status, created_at, due_at, attempts)
     VALUES (@id, @channel, @payload, 'pending', @now, @now, 0)`,
  );
  const due = db.prepare<[string, number], OutboxRow>(
    `SELECT * FROM outbox WHERE status IN ('pending', 'claimed') AND due_at <= ? ORDER BY due_at, message_id LIMIT ?`,
  );
  const lease = db.prepare<[string, string]>(`UPDATE outbox SET status = 'claimed', due_at = ? WHERE message_id = ?`);
  const deliver = db.prepare<{ id: string; now: string; expires: string }>(
    `UPDATE outbox SET status = 'delivered', delivered_at = @now, due_at = NULL, expires_at = @expires
     WHERE message_id = @id AND status <> 'delivered'`,
  );
  const failed = db.prepare<{ id: string; status: OutboxStatus; due: string | null; error: string }>(
    `UPDATE outbox SET status = @status, due_at = @due, attempts = attempts + 1, last_error = @error
     WHERE message_id = @id AND status IN ('pending', 'claimed')`,
  );

  const enqueue = db.transaction((message: OutboxMessageInput, now: string, payload: string): boolean => {
    purge.run(now);
    return insert.run({ id: message.id, channel: message.channel, payload, now }).changes === 1;
  });

  const claim = db.transaction((now: string, leaseUntil: string, limit: number): ClaimedMessage[] =>
    due.all(now, limit).map((row) => {
      lease.run(leaseUntil, row.message_id);
      return { ...toMessage(row), status: 'claimed', dueAt: leaseUntil, leaseUntil };
    }),
  );

  const acknowledge = db.transaction((id: string, now: string): void => {
    if (!get.get(id)) throw noSuchMessage(id);
    deliver.run({ id, now, expires: addDays(now, retention.outboxDays) });
  });

  const fail = db.transaction((id: string, error: string, retryAt: string | null): { attempts: number } => {
    if (!get.get(id)) throw noSuchMessage(id);
    failed.run({ id, status: retryAt === null ? 'dead' : 'pending', due: retryAt, error });
    return { attempts: get.get(id)!.attempts };
  });

  return {
    enqueue(message: OutboxMessageInput, now: string): boolean {
      return enqueue.immediate(message, isoTime(now, 'now'), toJson(message.payload, 'outbox message payload'));
    },
    claim(now: string, leaseMs: number, limit: number): ClaimedMessage[] {
      const at = isoTime(now, 'now');
      if (!(limit >= 1)) return [];
      return claim.immediate(at, leaseUntilOf(at, leaseMs), Math.floor(limit));
    },
    acknowledge(id: string, now: string): void {
      acknowledge.immediate(id, isoTime(now, 'now'));
    },
    fail(id: string, error: string, retryAt: string | null): { attempts: number } {
      const retry = retryAt === null ? null : isoTime(retryAt, 'retryAt');
      return fail.immediate(id, outboxErrorText(error), retry);
    },
    get(id: string): OutboxMessage | undefined {
      const row = get.get(id);
      return row && toMessage(row);
    },
  };
};

export const processedEventQueries = (db: Database.Database, retention: Retention) => {
  const purge = db.prepare<[string]>('DELETE FROM processed_events WHERE expires_at <= ?');
  const insert = db.prepare<[string, string, string]>(
    'INSERT OR IGNORE INTO processed_events (event_id, processed_at, expires_at) VALUES (?, ?, ?)',
  );
  const mark = db.transaction((eventId: string, now: string): boolean => {
    purge.run(now);
    return insert.run(eventId, now, addDays(now, retention.processedEventDays)).changes === 1;
  });
  return {
    mark(eventId: string, now: string): boolean {
      return mark.immediate(eventId, isoTime(now, 'now'));
    },
  };
};
