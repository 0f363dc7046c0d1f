/**
 * Quota-aware pacing: one token bucket per KMS API per account-region, at a share of the published quota, so a
 * scan never takes more than its share of what the account's own workloads also draw on. Throttling that still
 * happens is retried by the SDK's own retry strategy (standard or adaptive, as the user configured it).
 */

export type KmsReadApi =
  | 'ListKeys'
  | 'ListAliases'
  | 'DescribeKey'
  | 'ListResourceTags'
  | 'GetKeyPolicy'
  | 'GetKeyRotationStatus'
  | 'ListGrants';

/** Published default request quotas, per second, per account and region (AWS KMS Developer Guide, "Request quotas"). */
export const PUBLISHED_KMS_QUOTAS: Readonly<Record<KmsReadApi, number>> = {
  ListKeys: 500,
  ListAliases: 500,
  DescribeKey: 2000,
  ListResourceTags: 2000,
  GetKeyPolicy: 1000,
  GetKeyRotationStatus: 1000,
  ListGrants: 100,
};

export const DEFAULT_QUOTA_SHARE = 0.5;

/** Requests per second each API may use in one account-region. */
export function pacedRates(quotaShare = DEFAULT_QUOTA_SHARE, maxRps?: number): Record<KmsReadApi, number> {
  const rates = {} as Record<KmsReadApi, number>;
  for (const [api, quota] of Object.entries(PUBLISHED_KMS_QUOTAS) as [KmsReadApi, number][]) {
    rates[api] = Math.min(quota * quotaShare, maxRps ?? Number.POSITIVE_INFINITY);
  }
  return rates;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A token bucket that hands out reservations in arrival order: a caller that finds no token reserves the next
 * one (the balance goes negative) and waits until it is due, so waiting callers never overtake each other.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  readonly burst: number;

  constructor(
    readonly ratePerSecond: number,
    burst?: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.burst = burst ?? Math.max(1, Math.floor(ratePerSecond / 10));
    this.tokens = this.burst;
    this.last = this.now();
  }

  /** Milliseconds the caller must wait before sending; the token is taken now. */
  reserve(): number {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.ratePerSecond) * 1000;
  }

  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(wait);
  }
}

/** The buckets of one account-region: one per API, plus one for all APIs together when maxRps is set. */
export class RegionPacer {
  private readonly buckets: Record<KmsReadApi, TokenBucket>;
  private readonly overall?: TokenBucket;

  constructor(quotaShare = DEFAULT_QUOTA_SHARE, maxRps?: number) {
    const rates = pacedRates(quotaShare, maxRps);
    this.buckets = Object.fromEntries(
      (Object.keys(rates) as KmsReadApi[]).map((api) => [api, new TokenBucket(rates[api])]),
    ) as Record<KmsReadApi, TokenBucket>;
    if (maxRps !== undefined) this.overall = new TokenBucket(maxRps);
  }

  async take(api: KmsReadApi): Promise<void> {
    const waits = [this.buckets[api].reserve(), this.overall?.reserve() ?? 0];
    const wait = Math.max(...waits);
    if (wait > 0) await sleep(wait);
  }
}
