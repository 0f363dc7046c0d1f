/**
 * CloudTrail LookupEvents as AWS answers it, for aws-sdk-client-mock: one attribute per request, newest first, at
 * most 50 events a page with a NextToken, only the events of the client's region, each record as the
 * `CloudTrailEvent` JSON string. Options inject throttling. Also a virtual clock for the 2 requests/s pacing.
 */
import {
  type CloudTrailClient,
  type LookupEventsCommandInput,
  type LookupEventsCommandOutput,
  ThrottlingException,
} from '@aws-sdk/client-cloudtrail';

type Json = Record<string, unknown>;

export interface LookupCall {
  region: string;
  attribute: string;
  value: string;
  nextToken?: string;
  at: number;
}

export interface FakeLookupOptions {
  /** Throttle this many requests before answering (per fake). */
  throttleFirst?: number;
  /** Throttle every request (a page that never comes). */
  throttleAlways?: boolean;
  clock?: { now(): number };
}

const attributeValue = (record: Json, attribute: string): string | undefined => {
  const identity = (record.userIdentity ?? {}) as Json;
  switch (attribute) {
    case 'AccessKeyId':
      return identity.accessKeyId as string | undefined;
    case 'Username':
      return identity.userName as string | undefined;
    case 'EventName':
      return record.eventName as string;
    case 'EventSource':
      return record.eventSource as string;
    default:
      return undefined;
  }
};

export const fakeLookupEvents = (records: Json[], options: FakeLookupOptions = {}) => {
  const calls: LookupCall[] = [];
  let throttled = 0;
  const handler = async (input: LookupEventsCommandInput, getClient: () => CloudTrailClient) => {
    const region = await getClient().config.region();
    const lookup = input.LookupAttributes?.[0];
    calls.push({
      region,
      attribute: lookup?.AttributeKey ?? '',
      value: lookup?.AttributeValue ?? '',
      ...(input.NextToken ? { nextToken: input.NextToken } : {}),
      at: options.clock?.now() ?? 0,
    });
    if (options.throttleAlways || throttled < (options.throttleFirst ?? 0)) {
      throttled++;
      throw new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    }
    const since = input.StartTime ? input.StartTime.getTime() : Number.NEGATIVE_INFINITY;
    const until = input.EndTime ? input.EndTime.getTime() : Number.POSITIVE_INFINITY;
    const matching = records
      .filter((r) => (r.awsRegion ?? 'us-east-1') === region)
      .filter((r) => !lookup || attributeValue(r, lookup.AttributeKey ?? '') === lookup.AttributeValue)
      .filter((r) => {
        const t = Date.parse(r.eventTime as string);
        return t >= since && t <= until;
      })
      .sort((a, b) => ((a.eventTime as string) < (b.eventTime as string) ? 1 : -1));
    const size = Math.min(input.MaxResults ?? 50, 50);
    const offset = input.NextToken ? Number(input.NextToken.split('-')[1]) : 0;
    const page = matching.slice(offset, offset + size);
    const output: LookupEventsCommandOutput = {
      $metadata: { httpStatusCode: 200 },
      Events: page.map((r) => ({
        EventId: r.eventID as string,
        EventName: r.eventName as string,
        EventTime: new Date(r.eventTime as string),
        EventSource: r.eventSource as string,
        AccessKeyId: attributeValue(r, 'AccessKeyId'),
        Username: attributeValue(r, 'Username'),
        CloudTrailEvent: JSON.stringify(r),
      })),
      ...(offset + size < matching.length ? { NextToken: `token-${offset + size}` } : {}),
    };
    return output;
  };
  return { handler, calls };
};

/** A clock whose sleeps only move its own time: pacing is checked on it, never on the wall clock. */
export const virtualClock = (start = Date.parse('2024-06-02T10:00:00Z')) => {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
};
