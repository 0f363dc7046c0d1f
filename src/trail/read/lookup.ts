/**
 * CloudTrail LookupEvents (the 90-day event history of management events), every page, paced at 2 requests per
 * second per region, in all the regions asked. LookupEvents takes one attribute per request: each investigation
 * asks for the narrowest ones it can (an access key id, an event name, a resource name), then filters itself.
 */
import {
  type CloudTrailClient,
  type LookupAttribute,
  LookupEventsCommand,
  type LookupEventsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import { type CloudTrailEvent, parseCloudTrailEvent } from '../detect/event';
import type { EventQuery } from '../detect/run';
import { inWindow } from '../detect/time';
import { awsErrorText, type Clock, merge, pacer } from './async';
import { ReadTally } from './report';
import type { TrailSource } from './source';

export const LOOKUP_RATE_PER_SECOND = 2;
const MAX_ATTEMPTS = 5;

const isThrottling = (error: unknown): boolean =>
  error instanceof Error && /Throttl|TooManyRequests|RequestLimitExceeded/.test(error.name);
const NINETY_DAYS_MS = 90 * 86_400_000;

const attribute = (AttributeKey: LookupAttribute['AttributeKey'], AttributeValue: string): LookupAttribute => ({
  AttributeKey,
  AttributeValue,
});

/** The LookupEvents attributes that cover a query (each one a separate, paged lookup). */
export const lookupAttributes = (query: EventQuery): LookupAttribute[] => {
  const byName = (names: string[]) => names.map((name) => attribute('EventName', name));
  switch (query.investigation) {
    case 'exposures':
      return byName(['PutKeyPolicy', 'CreateKey', 'CreateGrant', 'RevokeGrant', 'RetireGrant']);
    case 'ransom':
      return byName(['ScheduleKeyDeletion', 'DisableKey', 'PutKeyPolicy']);
    case 'outsiders':
      return [attribute('EventSource', 'kms.amazonaws.com')];
    case 'key':
      // ResourceName matches the key ARN as CloudTrail lists it; a bare key id falls back to all KMS events.
      return query.key?.startsWith('arn:')
        ? [attribute('ResourceName', query.key), ...byName(['ScheduleKeyDeletion', 'DisableKey', 'PutKeyPolicy'])]
        : [attribute('EventSource', 'kms.amazonaws.com')];
    case 'access-key':
      return [
        ...(query.accessKeyIds ?? []).map((id) => attribute('AccessKeyId', id)),
        ...(query.username ? [attribute('Username', query.username)] : []),
      ];
  }
};

export interface LookupSourceOptions {
  regions: string[] | 'all';
  client: (region: string) => CloudTrailClient;
  /** The regions enabled for the account, for `lookup:all` (account:ListRegions). */
  listRegions: () => Promise<string[]>;
  clock: Clock;
}

export const lookupSource = (options: LookupSourceOptions): TrailSource => {
  const tally = new ReadTally();
  const pacers = new Map<string, () => Promise<void>>();
  const paced = (region: string) => {
    let wait = pacers.get(region);
    if (!wait) {
      wait = pacer(LOOKUP_RATE_PER_SECOND, options.clock);
      pacers.set(region, wait);
    }
    return wait;
  };

  async function* lookupIn(
    region: string,
    query: EventQuery,
    lookup: LookupAttribute,
  ): AsyncGenerator<CloudTrailEvent[]> {
    const client = options.client(region);
    const now = options.clock.now();
    const StartTime = new Date(query.window.since ?? now - NINETY_DAYS_MS);
    const EndTime = new Date(query.window.until ?? now);
    const where = `lookup:${region} ${lookup.AttributeKey}=${lookup.AttributeValue}`;
    let NextToken: string | undefined;
    do {
      let page: LookupEventsCommandOutput | undefined;
      for (let attempt = 1; !page; attempt++) {
        await paced(region)();
        try {
          page = await client.send(
            new LookupEventsCommand({ LookupAttributes: [lookup], StartTime, EndTime, MaxResults: 50, NextToken }),
          );
        } catch (error) {
          // The SDK already retried; a quota still exceeded gets a longer pause before giving up on this lookup.
          if (isThrottling(error) && attempt < MAX_ATTEMPTS) {
            await options.clock.sleep(1000 * 2 ** attempt);
            continue;
          }
          tally.fileError(where, `LookupEvents failed: ${awsErrorText(error)}`);
          return;
        }
      }
      const events: CloudTrailEvent[] = [];
      for (const item of page.Events ?? []) {
        let record: unknown;
        try {
          record = JSON.parse(item.CloudTrailEvent ?? '');
        } catch {
          tally.invalidEvent(where, 'CloudTrailEvent is not valid JSON');
          continue;
        }
        const parsed = parseCloudTrailEvent(record);
        if (!parsed.ok) tally.invalidEvent(where, parsed.reason);
        else if (inWindow(parsed.event.eventTime, query.window)) events.push(parsed.event);
      }
      tally.fileRead(where, page.Events?.length ?? 0);
      if (events.length > 0) yield events;
      NextToken = page.NextToken;
    } while (NextToken);
  }

  /** Lookups by several attributes can return one event twice (a DisableKey by resource and by name): once only. */
  async function* inRegion(region: string, query: EventQuery): AsyncGenerator<CloudTrailEvent[]> {
    const seen = new Set<string>();
    for (const lookup of lookupAttributes(query)) {
      for await (const batch of lookupIn(region, query, lookup)) {
        const fresh = batch.filter((event) => {
          if (!event.eventID) return true;
          if (seen.has(event.eventID)) return false;
          seen.add(event.eventID);
          return true;
        });
        if (fresh.length > 0) yield fresh;
      }
    }
  }

  return {
    description: `CloudTrail LookupEvents in ${options.regions === 'all' ? 'all enabled regions' : options.regions.join(', ')}`,
    async *read(query) {
      let regions: string[];
      if (options.regions === 'all') {
        try {
          regions = await options.listRegions();
        } catch (error) {
          tally.fileError(
            'lookup:all',
            `cannot list the account's enabled regions (${awsErrorText(error)}): name them, e.g. lookup:us-east-1,eu-west-1`,
          );
          return;
        }
      } else regions = options.regions;
      yield* merge(regions.map((region) => inRegion(region, query)));
    },
    report: () => tally.report(),
  };
};
