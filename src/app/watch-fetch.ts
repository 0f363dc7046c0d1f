/**
 * Reading one key from AWS for the watch: a thin wrapper around the collector's per-key collection (the same
 * calls, pacing and error recording as `scan --aws`). The caller (cli, lambda) passes the KMS client of a region;
 * the region-wide alias list is not read per event (aliases come from the store and from alias events).
 */
import type { RawSnapshot } from '../kms/snapshot-format';
import { limiter } from '../sources/aws/concurrency';
import { collectKey, MAX_REQUESTS_IN_FLIGHT, type RegionContext } from '../sources/aws/key-collector';
import { DEFAULT_QUOTA_SHARE, RegionPacer } from '../sources/aws/pacing';
import { ALIASES_NOT_READ } from './watch-snapshot';

/** Reads one key (by ARN) as a `keywarden.snapshot/v1` record; a failed call is recorded, never thrown. */
export type KeyFetcher = (keyArn: string) => Promise<RawSnapshot>;

export interface KeyFetcherOptions {
  /** The KMS client of a region (credentials and endpoint as the caller configured them). */
  kmsFor: (region: string) => RegionContext['kms'];
  /** Share of each KMS read quota the watch may use (default: the scan's default). */
  quotaShare?: number;
}

/** A fetcher that keeps one pacer per account-region across calls (a warm Lambda reuses it). */
export function createKeyFetcher(options: KeyFetcherOptions): KeyFetcher {
  const contexts = new Map<string, RegionContext>();
  const contextFor = (keyArn: string): RegionContext => {
    const [, partition = 'aws', , region = '', account = ''] = keyArn.split(':');
    const name = `${account}/${region}`;
    let context = contexts.get(name);
    if (!context) {
      context = {
        account,
        region,
        partition,
        kms: options.kmsFor(region),
        pacer: new RegionPacer(options.quotaShare ?? DEFAULT_QUOTA_SHARE),
        inFlight: limiter(MAX_REQUESTS_IN_FLIGHT),
      };
      contexts.set(name, context);
    }
    return context;
  };
  return async (keyArn) => {
    const { key } = await collectKey(contextFor(keyArn), { KeyArn: keyArn }, Promise.resolve(ALIASES_NOT_READ));
    return key.raw;
  };
}
