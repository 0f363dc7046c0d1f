/**
 * Small async helpers for the API sources: pacing to a request rate (with an injectable clock, so tests need no
 * real waiting) and merging several event streams into one.
 */

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Spaces calls at least 1000/rate ms apart (CloudTrail LookupEvents allows 2 requests per second per region). */
export const pacer = (ratePerSecond: number, clock: Clock): (() => Promise<void>) => {
  const gap = 1000 / ratePerSecond;
  let next = 0;
  return async () => {
    const now = clock.now();
    const at = Math.max(now, next);
    next = at + gap;
    if (at > now) await clock.sleep(at - now);
  };
};

/** Interleave async iterables, yielding as each produces. */
export async function* merge<T>(sources: Array<AsyncIterable<T>>): AsyncGenerator<T> {
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const pull = (index: number) => {
    const iterator = iterators[index] as AsyncIterator<T>;
    pending.set(
      index,
      iterator.next().then((result) => ({ index, result })),
    );
  };
  for (let index = 0; index < iterators.length; index++) pull(index);
  while (pending.size > 0) {
    const { index, result } = await Promise.race(pending.values());
    if (result.done) {
      pending.delete(index);
      continue;
    }
    pull(index);
    yield result.value;
  }
}

/** The message of an AWS SDK error, with its name (AccessDeniedException, ThrottlingException...). */
export const awsErrorText = (error: unknown): string => {
  if (error instanceof Error)
    return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
};
