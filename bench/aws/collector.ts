/**
 * Benchmark of the AWS collector (issue 4): an in-process simulated KMS (the test stand-in: token buckets at the
 * published quotas, 20 ms latency per call) holding 10,000 keys over 4 regions, scanned through the real SDK.
 * Prints the wall time divided by the lower bound the quotas allow at the configured share (target <= 1.25;
 * ListGrants at 50/s per region bounds it) and the peak RSS (target <= 512 MB).
 *
 *   npx tsx bench/aws/collector.ts [--keys 10000] [--regions 4] [--share 0.5]
 */
import { pathToFileURL } from 'node:url';
import { isApiError } from '../../src/kms/snapshot-format';
import { collectAws } from '../../src/sources/aws';
import { type KmsReadApi, PUBLISHED_KMS_QUOTAS, pacedRates } from '../../src/sources/aws/pacing';
import { startKmsStandin } from '../../test/aws/kms-standin';
import type { StandinKey } from '../../test/aws/standin-data';

const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'sa-east-1'];

export interface CollectorBenchOptions {
  keys?: number;
  regions?: number;
  quotaShare?: number;
  latencyMs?: number;
}

export interface CollectorBenchResult {
  keys: number;
  keysCollected: number;
  keysWithErrors: number;
  gaps: number;
  wallSeconds: number;
  lowerBoundSeconds: number;
  boundBy: string;
  ratio: number;
  peakRssMb: number;
  throttledResponses: number;
  pass: boolean;
}

/** Calls each API needs in one region, from the keys it holds. */
function callsNeeded(keys: StandinKey[]): Record<KmsReadApi, number> {
  const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  const aliases = keys.reduce((n, k) => n + k.aliases.length, 0);
  return {
    ListKeys: pages(keys.length, 1000),
    ListAliases: pages(aliases, 100),
    DescribeKey: keys.length,
    GetKeyPolicy: keys.length,
    ListResourceTags: keys.reduce((n, k) => n + pages(k.tags.length, 50), 0),
    ListGrants: keys.reduce((n, k) => n + pages(k.grants.length, 100), 0),
    GetKeyRotationStatus: keys.filter(
      (k) => k.metadata.KeySpec === 'SYMMETRIC_DEFAULT' && k.metadata.Origin === 'AWS_KMS',
    ).length,
  };
}

export async function benchCollector(options: CollectorBenchOptions = {}): Promise<CollectorBenchResult> {
  const regionCount = options.regions ?? 4;
  const total = options.keys ?? 10_000;
  const share = options.quotaShare ?? 0.5;
  const regions = REGIONS.slice(0, regionCount);
  const perRegion = Object.fromEntries(
    regions.map((r, i) => [r, Math.floor(total / regionCount) + (i < total % regionCount ? 1 : 0)]),
  );
  const standin = await startKmsStandin({
    regions: perRegion,
    latencyMs: options.latencyMs ?? 20,
    quotas: { ...PUBLISHED_KMS_QUOTAS },
  });

  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_KMS: standin.endpoint,
    AWS_ENDPOINT_URL_STS: standin.endpoint,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: regions[0],
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_MAX_ATTEMPTS', 'AWS_RETRY_MODE']) {
    delete process.env[name];
  }

  const rates = pacedRates(share);
  let lowerBoundSeconds = 0;
  let boundBy = '';
  for (const region of regions) {
    for (const [api, calls] of Object.entries(callsNeeded(standin.keys(region))) as [KmsReadApi, number][]) {
      const seconds = calls / rates[api];
      if (seconds > lowerBoundSeconds) {
        lowerBoundSeconds = seconds;
        boundBy = `${api} in ${region}: ${calls} calls at ${rates[api]}/s`;
      }
    }
  }

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  let keysCollected = 0;
  let keysWithErrors = 0;
  let gaps = 0;
  const started = performance.now();
  try {
    for await (const item of collectAws({ regions, quotaShare: share })) {
      if ('gap' in item) {
        gaps += 1;
        continue;
      }
      keysCollected += 1;
      if (Object.values(item.raw).some((v) => isApiError(v))) keysWithErrors += 1;
    }
  } finally {
    clearInterval(sampler);
    process.env = saved;
    await standin.stop();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const ratio = wallSeconds / lowerBoundSeconds;
  const peakRssMb = peakRss / 2 ** 20;
  return {
    keys: total,
    keysCollected,
    keysWithErrors,
    gaps,
    wallSeconds,
    lowerBoundSeconds,
    boundBy,
    ratio,
    peakRssMb,
    throttledResponses: standin.faults.ThrottlingException,
    pass: ratio <= 1.25 && peakRssMb <= 512 && keysCollected === total,
  };
}

export function formatCollectorBench(r: CollectorBenchResult): string {
  return [
    `AWS collector: ${r.keysCollected}/${r.keys} keys (${r.keysWithErrors} with error fields, ${r.gaps} gaps, ${r.throttledResponses} throttled responses)`,
    `  wall ${r.wallSeconds.toFixed(1)} s / lower bound ${r.lowerBoundSeconds.toFixed(1)} s (${r.boundBy}) = ${r.ratio.toFixed(3)} (target <= 1.25)`,
    `  peak RSS ${r.peakRssMb.toFixed(0)} MB (target <= 512 MB)`,
    `  ${r.pass ? 'PASS' : 'MISS'}`,
  ].join('\n');
}

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : undefined;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchCollector({ keys: arg('keys'), regions: arg('regions'), quotaShare: arg('share') });
  console.log(formatCollectorBench(result));
  process.exitCode = result.pass ? 0 : 1;
}
