/**
 * `collectAws`: every key of every selected account and region, as a stream of CollectedKey and Gap. Whatever
 * cannot be read becomes an `{error}` field of the key's snapshot, or a Gap for a whole account or region; the
 * scan always goes on.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import type { Gap } from '../../kms/snapshot';
import { Channel, forEachLimited, limiter } from './concurrency';
import { errorCode, errorMessage } from './errors';
import { MAX_REQUESTS_IN_FLIGHT } from './key-collector';
import { DEFAULT_QUOTA_SHARE, RegionPacer } from './pacing';
import { RegionProgress } from './progress';
import { scanRegion } from './region-scan';
import { openScope } from './scope';
import type { AwsScanOptions, CollectedKey } from './types';

const DEFAULT_KEY_CONCURRENCY = 24;
const DEFAULT_REGION_CONCURRENCY = 8;

/** Options a user typed wrong: one line each. */
export function optionProblems(options: AwsScanOptions): string[] {
  const problems: string[] = [];
  const share = options.quotaShare;
  if (share !== undefined && !(share > 0 && share <= 1)) {
    problems.push(
      `the quota share must be a number above 0 and at most 1 (0.5 = half of each KMS quota), got ${share}`,
    );
  }
  if (options.maxRps !== undefined && !(options.maxRps > 0)) {
    problems.push(`--max-rps must be a positive number of requests per second, got ${options.maxRps}`);
  }
  if (Array.isArray(options.regions) && options.regions.length === 0) {
    problems.push('--region was given without a region: name one or more regions, or use --region all');
  }
  for (const [name, value] of [
    ['key concurrency', options.keyConcurrency],
    ['region concurrency', options.regionConcurrency],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      problems.push(`the ${name} must be a positive whole number, got ${value}`);
    }
  }
  return problems;
}

async function runScan(options: AwsScanOptions, channel: Channel<CollectedKey | Gap>): Promise<void> {
  const scope = await openScope(options, (gap) => channel.push(gap), true);
  if (!scope) return;
  const { session, caller } = scope;
  try {
    const units = await scope.accountRegions();
    await forEachLimited(units, options.regionConcurrency ?? DEFAULT_REGION_CONCURRENCY, async ({ target, region }) => {
      if (channel.cancelled) return;
      const progress = new RegionProgress(target.account, region, options.onProgress);
      try {
        await scanRegion(
          {
            account: target.account,
            region,
            partition: caller.partition,
            kms: session.client(KMSClient, region, target.credentials),
            pacer: new RegionPacer(options.quotaShare ?? DEFAULT_QUOTA_SHARE, options.maxRps),
            inFlight: limiter(MAX_REQUESTS_IN_FLIGHT),
          },
          {
            emit: (item) => channel.push(item),
            isCancelled: () => channel.cancelled,
            progress,
            keyConcurrency: options.keyConcurrency ?? DEFAULT_KEY_CONCURRENCY,
          },
        );
      } catch (err) {
        // Not expected (every call is guarded), but one region must never end the scan of the others.
        const reason = `the scan of account ${target.account}, region ${region} stopped: ${errorCode(err)}: ${errorMessage(err)}; keys not yet read there are missing: run again for this region`;
        progress.failed(reason);
        await channel.push({ gap: true, account: target.account, region, reason });
      }
    });
  } finally {
    session.destroy();
  }
}

export async function* collectAws(options: AwsScanOptions): AsyncGenerator<CollectedKey | Gap> {
  const problems = optionProblems(options);
  if (problems.length > 0) {
    for (const reason of problems) yield { gap: true, reason };
    return;
  }
  const channel = new Channel<CollectedKey | Gap>();
  const run = runScan(options, channel)
    .catch((err) =>
      channel.push({
        gap: true,
        reason: `the AWS scan stopped: ${errorCode(err)}: ${errorMessage(err)}; run again, and report this if it persists`,
      }),
    )
    .finally(() => channel.close());
  try {
    yield* channel;
  } finally {
    await run;
  }
}
