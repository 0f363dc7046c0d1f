/**
 * A CloudTrail client that tries a throttled (or 5xx) LookupEvents page again, with exponential backoff, before
 * giving up on it (a network that is down is the SDK's retries' business, not worth waiting longer for). LookupEvents allows 2 requests per second per account and region; the trail
 * reader (src/trail/read/lookup.ts) paces to that and records a page that still fails as a read problem, which
 * would leave the investigation incomplete (and the key undeleted in contain-and-delete mode) for one busy second.
 * The SDK's own retries run underneath; this layer covers what outlasts them.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { isBusyAnswer } from './exposed-key-errors';

export interface PageRetryOptions {
  /** Attempts per request, the first included. Default 5. */
  attempts?: number;
  /** First wait; doubled each time. Default 1000 ms. */
  baseDelayMs?: number;
  sleep: (ms: number) => Promise<void>;
}

export const retryingCloudTrail = (client: CloudTrailClient, options: PageRetryOptions): CloudTrailClient => {
  const attempts = Math.max(1, options.attempts ?? 5);
  const base = options.baseDelayMs ?? 1000;
  const send = async (...args: Parameters<CloudTrailClient['send']>) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await (client.send as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        if (!isBusyAnswer(error) || attempt >= attempts) throw error;
        await options.sleep(base * 2 ** (attempt - 1));
      }
    }
  };
  return new Proxy(client, {
    get: (target, property, receiver) => (property === 'send' ? send : Reflect.get(target, property, receiver)),
  });
};
