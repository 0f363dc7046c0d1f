/** Bounded concurrency and a bounded hand-off between the scan's workers and its consumer. */

/** Runs `work` on every item with at most `limit` running at once; resolves when all are done. */
export async function forEachLimited<T>(
  items: Iterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) await work(next.value);
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
}

/** A semaphore: `run(fn)` waits while `limit` functions are running. */
export function limiter(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active += 1;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}

/**
 * Producers `push` (waiting while `capacity` items are unread), one consumer iterates. When the consumer stops
 * early, `cancelled` turns true and further pushes are dropped, so producers can stop.
 */
export class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private readonly spaceWaiters: Array<() => void> = [];
  private consumerWaiter?: () => void;
  private closed = false;
  cancelled = false;

  constructor(private readonly capacity = 256) {}

  async push(item: T): Promise<void> {
    while (this.items.length >= this.capacity && !this.cancelled) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
    if (this.cancelled) return;
    this.items.push(item);
    this.wakeConsumer();
  }

  close(): void {
    this.closed = true;
    this.wakeConsumer();
  }

  private wakeConsumer(): void {
    const wake = this.consumerWaiter;
    this.consumerWaiter = undefined;
    wake?.();
  }

  private cancel(): void {
    this.cancelled = true;
    this.items.length = 0;
    for (const release of this.spaceWaiters.splice(0)) release();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      while (true) {
        if (this.items.length > 0) {
          const item = this.items.shift() as T;
          this.spaceWaiters.shift()?.();
          yield item;
          continue;
        }
        if (this.closed) return;
        await new Promise<void>((resolve) => {
          this.consumerWaiter = resolve;
        });
      }
    } finally {
      this.cancel();
    }
  }
}
