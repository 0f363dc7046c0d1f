import { describe, expect, it } from 'vitest';
import { Channel, forEachLimited, limiter } from '../../src/sources/aws/concurrency';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('bounded concurrency', () => {
  it('forEachLimited runs every item with at most `limit` at once', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await tick();
      running -= 1;
      done.push(n);
    });
    expect(peak).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('limiter queues callers beyond the limit and releases them in order', async () => {
    const run = limiter(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await tick();
          order.push(n);
          running -= 1;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('Channel', () => {
  it('delivers every item in order and holds producers back at capacity', async () => {
    const channel = new Channel<number>(2);
    let pushed = 0;
    const producer = (async () => {
      for (let i = 0; i < 5; i += 1) {
        await channel.push(i);
        pushed += 1;
      }
      channel.close();
    })();
    await tick();
    expect(pushed).toBe(2);
    const received: number[] = [];
    for await (const item of channel) received.push(item);
    await producer;
    expect(received).toEqual([0, 1, 2, 3, 4]);
  });

  it('tells producers to stop when the consumer leaves early', async () => {
    const channel = new Channel<number>(1);
    const producer = (async () => {
      for (let i = 0; i < 100 && !channel.cancelled; i += 1) await channel.push(i);
      channel.close();
    })();
    for await (const item of channel) if (item === 1) break;
    await producer;
    expect(channel.cancelled).toBe(true);
  });
});
