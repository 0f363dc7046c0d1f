import { expect, it } from 'vitest';
import { StoreError } from '../../src/store/errors';
import type { OutboxMessageInput } from '../../src/store/store';
import type { ContractContext } from './contract';
import { at } from './fixtures';

const DAY_MINUTES = 24 * 60;
const LEASE_MS = 60_000;

const message = (n: number): OutboxMessageInput => ({
  id: `finding-kw1-5f0c2a9d1e7b4c3a-opened-${n}`,
  channel: n % 2 === 0 ? 'sns' : 'webhook:slack',
  payload: { subject: `keywarden: new finding ${n}`, findingId: 'kw1-5f0c2a9d1e7b4c3a', severity: 'high' },
});

export const outboxContract = (context: ContractContext): void => {
  it('marks an event processed exactly once among 20 concurrent callers', async () => {
    const workers = await context.workers(4);
    const eventId = '3c5a1a3e-8f7b-4c1d-9e2a-6b0d4f5e7a91';
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) => workers[n % workers.length]!.markEventProcessed(eventId, at(0))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await context.store().markEventProcessed(eventId, at(60))).toBe(false);
    expect(await context.store().markEventProcessed('another-event', at(60))).toBe(true);
  });

  it('forgets a processed event after the retention (30 days by default), not before', async () => {
    const store = context.store();
    expect(await store.markEventProcessed('evt-1', at(0))).toBe(true);
    expect(await store.markEventProcessed('evt-1', at(29 * DAY_MINUTES))).toBe(false);
    expect(await store.markEventProcessed('evt-1', at(31 * DAY_MINUTES))).toBe(true);
    expect(await store.markEventProcessed('evt-1', at(32 * DAY_MINUTES))).toBe(false);
  });

  it('enqueues a message id once, and claims it with a lease', async () => {
    const store = context.store();
    expect(await store.enqueue(message(1), at(0))).toBe(true);
    expect(await store.enqueue({ ...message(1), payload: { changed: true } }, at(1))).toBe(false);
    const [claimed, ...rest] = await store.claim(at(2), LEASE_MS, 10);
    expect(rest).toEqual([]);
    expect(claimed).toMatchObject({
      ...message(1),
      status: 'claimed',
      createdAt: at(0),
      attempts: 0,
      leaseUntil: new Date(Date.parse(at(2)) + LEASE_MS).toISOString(),
    });
    expect(await store.getMessage(message(1).id)).toMatchObject({ status: 'claimed', payload: message(1).payload });
    expect(await store.getMessage('never-enqueued')).toBeUndefined();
  });

  it('refuses a lease that does not last, leaving the message pending', async () => {
    const store = context.store();
    await store.enqueue(message(1), at(0));
    const error = await store.claim(at(1), 0, 5).catch((e) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toMatch(/leaseMs 0 is not a positive number/);
    expect(await store.getMessage(message(1).id)).toMatchObject({ status: 'pending' });
    expect(await store.claim(at(1), LEASE_MS, 0)).toEqual([]);
  });

  it('never gives the same message to two workers claiming at once', async () => {
    const workers = await context.workers(4);
    const total = 40;
    for (let n = 0; n < total; n++) await context.store().enqueue(message(n), at(0));
    const claimed: string[] = [];
    for (let round = 0; round < 20; round++) {
      const batches = await Promise.all(workers.map((worker) => worker.claim(at(1), LEASE_MS, 7)));
      const ids = batches.flat().map((m) => m.id);
      claimed.push(...ids);
      if (ids.length === 0) break;
    }
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.sort()).toEqual(Array.from({ length: total }, (_, n) => message(n).id).sort());
  });

  it('hands a message to another worker only after its lease expires', async () => {
    const [first, second] = await context.workers(2);
    await context.store().enqueue(message(1), at(0));
    expect(await first!.claim(at(1), LEASE_MS, 5)).toHaveLength(1);
    expect(await second!.claim(at(1.5), LEASE_MS, 5)).toEqual([]);
    const [again] = await second!.claim(at(2.5), LEASE_MS, 5);
    expect(again).toMatchObject({ id: message(1).id, status: 'claimed' });
  });

  it('counts failed deliveries, retries at retryAt, and stops at a dead letter', async () => {
    const store = context.store();
    const { id } = message(1);
    await store.enqueue(message(1), at(0));
    await store.claim(at(0), LEASE_MS, 1);
    expect(await store.fail(id, 'SMTP 421 4.7.0 Try again later', at(5))).toEqual({ attempts: 1 });
    expect(await store.claim(at(4), LEASE_MS, 1)).toEqual([]);
    const [retry] = await store.claim(at(6), LEASE_MS, 1);
    expect(retry).toMatchObject({ id, attempts: 1, lastError: 'SMTP 421 4.7.0 Try again later' });
    expect(await store.fail(id, 'connect ECONNREFUSED 127.0.0.1:25', at(10))).toEqual({ attempts: 2 });
    await store.claim(at(11), LEASE_MS, 1);
    expect(await store.fail(id, 'x'.repeat(5000), null)).toEqual({ attempts: 3 });
    const dead = await store.getMessage(id);
    expect(dead).toMatchObject({ status: 'dead', attempts: 3 });
    expect(dead?.lastError?.length).toBe(2000);
    expect(await store.claim(at(100 * DAY_MINUTES), LEASE_MS, 10)).toEqual([]);
    expect(await store.enqueue(message(1), at(100 * DAY_MINUTES))).toBe(false);
  });

  it('acknowledges once: delivered messages are never claimed again nor re-enqueued within the retention', async () => {
    const store = context.store();
    const { id } = message(2);
    await store.enqueue(message(2), at(0));
    await store.claim(at(1), LEASE_MS, 1);
    await store.acknowledge(id, at(2));
    await store.acknowledge(id, at(3));
    expect(await store.getMessage(id)).toMatchObject({ status: 'delivered', deliveredAt: at(2), attempts: 0 });
    expect(await store.fail(id, 'late failure report', at(4))).toEqual({ attempts: 0 });
    expect(await store.claim(at(10), LEASE_MS, 10)).toEqual([]);
    expect(await store.enqueue(message(2), at(29 * DAY_MINUTES))).toBe(false);
    expect(await store.enqueue(message(2), at(31 * DAY_MINUTES))).toBe(true);
    const error = await store.acknowledge('never-enqueued', at(1)).catch((e) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toMatch(/no outbox message with id "never-enqueued"/);
  });
};
