/**
 * `collectAws`: every key of every selected account and region, as a stream of CollectedKey and Gap. Whatever
 * cannot be read becomes an `{error}` field of the key's snapshot, or a Gap for a whole account or region; the
 * scan always goes on.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import type { Gap } from '../../kms/snapshot';
import { resolveTargets, type ScanTarget } from './accounts';
import { Channel, forEachLimited } from './concurrency';
import { errorCode, errorMessage, explainFailure } from './errors';
import { DEFAULT_QUOTA_SHARE, RegionPacer } from './pacing';
import { RegionProgress } from './progress';
import { scanRegion } from './region-scan';
import { checkRegionNames, regionsOf } from './regions';
import { type AwsSession, type CallerIdentity, callerIdentity, openSession } from './session';
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

const describeIdentity = (options: AwsScanOptions) =>
  options.profile !== undefined ? `profile "${options.profile}"` : 'the default credential chain';

async function scanTargets(
  session: AwsSession,
  options: AwsScanOptions,
  caller: CallerIdentity,
  channel: Channel<CollectedKey | Gap>,
): Promise<void> {
  const report = (gap: Gap) => channel.push(gap);
  let explicit: string[] | undefined;
  if (Array.isArray(options.regions)) {
    const checked = checkRegionNames(options.regions);
    for (const gap of checked.gaps) await report(gap);
    explicit = checked.regions;
    if (explicit.length === 0) return;
  }
  const targets = await resolveTargets(session, options, caller, report);
  const units: Array<{ target: ScanTarget; region: string }> = [];
  await forEachLimited(targets, 8, async (target) => {
    for (const region of await regionsOf(session, target, options, explicit, report)) units.push({ target, region });
  });
  units.sort((a, b) => a.target.account.localeCompare(b.target.account) || a.region.localeCompare(b.region));

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
        },
        {
          emit: (item) => channel.push(item),
          isCancelled: () => channel.cancelled,
          progress,
          keyConcurrency: options.keyConcurrency ?? DEFAULT_KEY_CONCURRENCY,
        },
      );
    } catch (err) {
      // Not expected (every call is guarded), but never let one region end the scan of the others.
      const reason = `the scan of account ${target.account}, region ${region} stopped: ${errorCode(err)}: ${errorMessage(err)}; keys not yet read there are missing: run again for this region`;
      progress.failed(reason);
      await channel.push({ gap: true, account: target.account, region, reason });
    }
  });
}

async function runScan(options: AwsScanOptions, channel: Channel<CollectedKey | Gap>): Promise<void> {
  const session = await openSession(options);
  try {
    if (options.regions === undefined && session.configuredRegion === undefined) {
      await channel.push({
        gap: true,
        reason: `no region to scan for ${describeIdentity(options)}: pass --region (a name, a list, or all), or set AWS_REGION or the profile's region`,
      });
      return;
    }
    let caller: CallerIdentity;
    try {
      caller = await callerIdentity(session);
    } catch (err) {
      await channel.push({
        gap: true,
        reason: explainFailure(err, 'verify the credentials (sts:GetCallerIdentity)', describeIdentity(options), 'run'),
      });
      return;
    }
    await scanTargets(session, options, caller, channel);
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
