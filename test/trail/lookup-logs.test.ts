/**
 * LookupEvents and Logs Insights sources through the real SDK clients, answered by aws-sdk-client-mock:
 * pagination (500 events over 10 pages), pacing at 2 requests/s (on a virtual clock), throttling, failures,
 * following minted credentials, and Logs Insights' 10,000-row limit.
 */
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
  type StartQueryCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccessKeyResult } from '../../src/trail/detect/access-key';
import type { CloudTrailEvent } from '../../src/trail/detect/event';
import type { RansomResult } from '../../src/trail/detect/ransom';
import type { EventQuery } from '../../src/trail/detect/run';
import { runInvestigation } from '../../src/trail/detect/run';
import type { Clock } from '../../src/trail/read/async';
import { insightsFilter, logsSource } from '../../src/trail/read/logs';
import { lookupSource } from '../../src/trail/read/lookup';
import type { TrailSource } from '../../src/trail/read/source';
import { fromTemplate, keyArn, roleIdentity } from './helpers';
import { simpleJudge } from './judge';

const cloudtrail = mockClient(CloudTrailClient);
const logs = mockClient(CloudWatchLogsClient);
afterEach(() => {
  cloudtrail.reset();
  logs.reset();
});

/** A clock that only moves when asked to sleep: pacing is checked without waiting. */
const virtualClock = (start = Date.parse('2024-06-02T00:00:00Z')) => {
  let now = start;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
  return { clock, sleeps, elapsed: () => now - start };
};

const LEAKED = 'AKIAIOSFODNN7EXAMPLE';
const MINTED = 'ASIAIOSFODNN7EXAMPLE';
const user = {
  type: 'IAMUser',
  principalId: 'AIDAEXAMPLE',
  arn: 'arn:aws:iam::111122223333:user/Alice',
  accountId: '111122223333',
  accessKeyId: LEAKED,
  userName: 'Alice',
};

/** LookupEvents' Events[] entry for a record (the API wraps the record as a JSON string). */
const lookupEntry = (event: CloudTrailEvent) => ({
  EventId: event.eventID ?? undefined,
  EventName: event.eventName,
  EventTime: new Date(event.eventTime),
  EventSource: event.eventSource,
  AccessKeyId: event.userIdentity?.accessKeyId ?? undefined,
  CloudTrailEvent: JSON.stringify(event),
});

const investigate = async (source: TrailSource, name: 'access-key' | 'ransom', subject?: string) => {
  const outcome = await runInvestigation(name, (query) => source.read(query), {
    window: {},
    ...(subject ? { subject } : {}),
    judgePolicy: simpleJudge,
  });
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.value.result;
};

describe('lookup: CloudTrail LookupEvents', () => {
  const keyEvents = Array.from({ length: 500 }, (_, i) =>
    fromTemplate('describe-key', {
      userIdentity: user,
      eventTime: `2024-06-01T10:${String(i % 60).padStart(2, '0')}:00Z`,
    }),
  );
  const assume = fromTemplate('assume-role', { eventTime: '2024-06-01T11:00:00Z' });
  const roleEvents = [1, 2, 3].map((i) =>
    fromTemplate('describe-key', {
      eventTime: `2024-06-01T11:0${i}:00Z`,
      userIdentity: { ...roleIdentity('111122223333', 'Role1', 'Session1'), accessKeyId: MINTED },
    }),
  );

  const answer = (pages: Record<string, CloudTrailEvent[]>) =>
    cloudtrail.on(LookupEventsCommand).callsFake((input: LookupEventsCommandInput) => {
      const attribute = input.LookupAttributes?.[0];
      const all = pages[`${attribute?.AttributeKey}=${attribute?.AttributeValue}`] ?? [];
      const start = Number(input.NextToken ?? 0);
      const next = start + 50;
      return {
        Events: all.slice(start, next).map(lookupEntry),
        ...(next < all.length ? { NextToken: String(next) } : {}),
      };
    });

  it('reads every page, paced at 2 requests per second, and follows the credentials the key minted', async () => {
    answer({ [`AccessKeyId=${LEAKED}`]: [...keyEvents, assume], [`AccessKeyId=${MINTED}`]: roleEvents });
    const { clock, elapsed } = virtualClock();
    const source = lookupSource({
      regions: ['us-east-1'],
      client: () => new CloudTrailClient({ region: 'us-east-1' }),
      listRegions: async () => [],
      clock,
    });
    const result = (await investigate(source, 'access-key', LEAKED)) as AccessKeyResult;

    const calls = cloudtrail.commandCalls(LookupEventsCommand);
    expect(calls).toHaveLength(12); // 11 pages for the key (501 events), 1 for the minted key
    expect(calls[0]?.args[0].input).toMatchObject({
      LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: LEAKED }],
      MaxResults: 50,
    });
    expect(calls[11]?.args[0].input.LookupAttributes).toEqual([
      { AttributeKey: 'AccessKeyId', AttributeValue: MINTED },
    ]);
    expect(elapsed()).toBeGreaterThanOrEqual(11 * 500); // 12 requests, at least 500 ms apart (virtual clock)
    expect(result).toMatchObject({ events: 504, accessKeyIds: [LEAKED, MINTED].sort() });
    expect(source.report()).toMatchObject({ files: 12, events: 504, invalidEvents: 0, problems: [] });
  });

  it('the 90-day default window, or the one asked, becomes StartTime/EndTime', async () => {
    answer({});
    const { clock } = virtualClock();
    const source = lookupSource({
      regions: ['eu-west-1'],
      client: () => new CloudTrailClient({ region: 'eu-west-1' }),
      listRegions: async () => [],
      clock,
    });
    for await (const _ of source.read({ investigation: 'ransom', window: {} })) {
      // nothing to read
    }
    const input = cloudtrail.commandCalls(LookupEventsCommand)[0]?.args[0].input;
    expect(input?.EndTime?.toISOString()).toBe('2024-06-02T00:00:00.000Z');
    expect(input?.StartTime?.toISOString()).toBe('2024-03-04T00:00:00.000Z');
    expect(
      cloudtrail
        .commandCalls(LookupEventsCommand)
        .map((call) => call.args[0].input.LookupAttributes?.[0]?.AttributeValue),
    ).toEqual(['ScheduleKeyDeletion', 'DisableKey', 'PutKeyPolicy']);
  });

  it('waits and retries when throttled, then continues', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    cloudtrail
      .on(LookupEventsCommand)
      .rejectsOnce(throttled)
      .resolves({ Events: keyEvents.slice(0, 3).map(lookupEntry) });
    const { clock, sleeps } = virtualClock();
    const source = lookupSource({
      regions: ['us-east-1'],
      client: () => new CloudTrailClient({}),
      listRegions: async () => [],
      clock,
    });
    const result = (await investigate(source, 'access-key', LEAKED)) as AccessKeyResult;
    expect(result.events).toBe(3);
    expect(sleeps).toContain(2000);
    expect(source.report().problems).toEqual([]);
  });

  it('lookup:all reads every enabled region; a region that refuses is reported, the others still read', async () => {
    const denied = Object.assign(new Error('not authorized to perform: cloudtrail:LookupEvents'), {
      name: 'AccessDeniedException',
    });
    const clients: Record<string, CloudTrailClient> = {
      'us-east-1': new CloudTrailClient({ region: 'us-east-1' }),
      'eu-west-1': new CloudTrailClient({ region: 'eu-west-1' }),
    };
    const east = mockClient(clients['us-east-1'] as CloudTrailClient);
    const west = mockClient(clients['eu-west-1'] as CloudTrailClient);
    east
      .on(LookupEventsCommand)
      .resolves({ Events: [fromTemplate('disable-key', { eventID: 'east-1' })].map(lookupEntry) });
    west.on(LookupEventsCommand).rejects(denied);
    const { clock } = virtualClock();
    const source = lookupSource({
      regions: 'all',
      client: (region) => clients[region] as CloudTrailClient,
      listRegions: async () => ['us-east-1', 'eu-west-1'],
      clock,
    });
    const result = (await investigate(source, 'ransom')) as RansomResult;
    expect(result.candidates).toBe(1);
    const problems = source.report().problems;
    expect(problems.every((problem) => problem.file.startsWith('lookup:eu-west-1'))).toBe(true);
    expect(problems[0]?.error).toContain('AccessDeniedException');
    east.restore();
    west.restore();
  });

  it('lookup:all without the right to list regions says how to name them', async () => {
    const { clock } = virtualClock();
    const source = lookupSource({
      regions: 'all',
      client: () => new CloudTrailClient({}),
      listRegions: async () => {
        throw new Error('AccessDenied');
      },
      clock,
    });
    await investigate(source, 'ransom');
    expect(source.report()).toMatchObject({ files: 0, unreadableFiles: 1 });
    expect(source.report().problems[0]?.error).toContain('lookup:us-east-1,eu-west-1');
  });
});

describe('logs: CloudWatch Logs Insights', () => {
  const message = (event: CloudTrailEvent) => [
    { field: '@message', value: JSON.stringify(event) },
    { field: '@ptr', value: 'CmUKKgom' },
  ];

  it('splits the window when a query hits the 10,000-row limit, and reads every half', async () => {
    const many = Array.from({ length: 6_000 }, (_, i) =>
      fromTemplate(
        'disable-key',
        { eventID: `d-${i}`, eventTime: '2024-06-01T10:00:00Z' },
        keyArn('111122223333', i % 5),
      ),
    );
    const queries: StartQueryCommandInput[] = [];
    logs.on(StartQueryCommand).callsFake((input: StartQueryCommandInput) => {
      queries.push(input);
      return { queryId: `q${queries.length}` };
    });
    let polls = 0;
    logs.on(GetQueryResultsCommand).callsFake(({ queryId }: { queryId: string }) => {
      polls++;
      if (polls % 2 === 1) return { status: 'Running', results: [] };
      if (queryId === 'q1')
        return {
          status: 'Complete',
          results: Array.from({ length: 10_000 }, () => message(many[0] as CloudTrailEvent)),
        };
      const half = queryId === 'q2' ? many.slice(0, 3_000) : many.slice(3_000);
      return { status: 'Complete', results: half.map(message) };
    });
    const { clock } = virtualClock();
    const source = logsSource({
      logGroup: 'aws-cloudtrail-logs-111122223333',
      client: new CloudWatchLogsClient({}),
      clock,
    });
    const outcome = await runInvestigation('ransom', (query) => source.read(query), {
      window: { since: Date.parse('2024-06-01T00:00:00Z'), until: Date.parse('2024-06-02T00:00:00Z') },
      judgePolicy: simpleJudge,
    });
    expect(outcome.ok && (outcome.value.result as RansomResult).candidates).toBe(6_000);
    expect(queries).toHaveLength(3);
    expect(queries[0]).toMatchObject({
      logGroupName: 'aws-cloudtrail-logs-111122223333',
      startTime: 1717200000,
      endTime: 1717286400,
      limit: 10_000,
    });
    expect(queries[0]?.queryString).toContain(
      'filter eventSource = "kms.amazonaws.com" and eventName in ["ScheduleKeyDeletion", "DisableKey", "PutKeyPolicy"]',
    );
    expect([queries[1]?.endTime, queries[2]?.startTime]).toEqual([1717243200, 1717243200]);
  });

  it('a failed query and a message that is not CloudTrail are reported', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q1' });
    logs
      .on(GetQueryResultsCommand)
      .resolves({ status: 'Complete', results: [[{ field: '@message', value: 'START RequestId: 1' }]] });
    const { clock } = virtualClock();
    const source = logsSource({ logGroup: 'app-logs', client: new CloudWatchLogsClient({}), clock });
    await investigate(source, 'ransom');
    expect(source.report().problems[0]?.reasons[0]?.reason).toContain('@message is not JSON');

    logs.reset();
    logs.on(StartQueryCommand).resolves({ queryId: 'q2' });
    logs.on(GetQueryResultsCommand).resolves({ status: 'Failed' });
    const failing = logsSource({ logGroup: 'app-logs', client: new CloudWatchLogsClient({}), clock });
    await investigate(failing, 'ransom');
    expect(failing.report()).toMatchObject({ files: 0, unreadableFiles: 1 });
    expect(failing.report().problems[0]?.error).toBe('the Logs Insights query ended Failed');
  });
});

describe('the Logs Insights filter of each investigation', () => {
  it.each([
    [
      { investigation: 'key', key: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
      '@message like "1234abcd-12ab-34cd-56ef-1234567890ab"',
    ],
    [
      { investigation: 'key', key: '1234abcd-12ab-34cd-56ef-1234567890ab' },
      '@message like "1234abcd-12ab-34cd-56ef-1234567890ab"',
    ],
    [
      { investigation: 'access-key', accessKeyIds: ['AKIAIOSFODNN7EXAMPLE'] },
      'userIdentity.accessKeyId in ["AKIAIOSFODNN7EXAMPLE"]',
    ],
    [{ investigation: 'access-key', username: 'Alice' }, 'userIdentity.userName = "Alice"'],
    [{ investigation: 'outsiders' }, 'eventName in ["Encrypt", "Decrypt"'],
  ] as const)('%j', (query, expected) => {
    expect(insightsFilter({ window: {}, ...query } as EventQuery)).toContain(expected);
  });
});
