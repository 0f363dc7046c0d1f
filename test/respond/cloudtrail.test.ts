/**
 * The investigation through the real LookupEvents reader (src/trail/read/lookup.ts) and the SDK's CloudTrail client,
 * answered by aws-sdk-client-mock: every page, pacing at 2 requests/s (on a virtual clock), throttling, several
 * regions, and the credentials the key minted.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { investigate } from '../../src/app/exposed-key';
import { retryingCloudTrail } from '../../src/respond/aws/exposed-key-cloudtrail';
import { parseExposedKeyEvent } from '../../src/respond/plan/exposed-key-events';
import { planRevocation } from '../../src/respond/plan/exposed-key-plan';
import { type ExposedKeyState, STATE_FORMAT } from '../../src/respond/plan/exposed-key-state';
import { lookupSource } from '../../src/trail/read/lookup';
import { assumeRole, footholdCalls, getSessionToken, keyCalls, type Scenario, trustedAdvisorEvent } from './fixtures';
import { fakeLookupEvents, virtualClock } from './lookup-fake';

const S: Scenario = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  userName: 'alice',
  account: '111122223333',
  roleName: 'Deploy',
  roleKey: 'ASIAIOSFODNN7EXAMPLE',
  sessionKey: 'ASIAIOSFODNN7SESSION',
  day: '2024-06-02',
};
const NOW = '2024-06-02T12:00:00.000Z';

const cloudtrail = mockClient(CloudTrailClient);
beforeEach(() => cloudtrail.reset());
afterEach(() => cloudtrail.reset());

const startState = (): ExposedKeyState => {
  const parsed = parseExposedKeyEvent(
    trustedAdvisorEvent({ accessKeyId: S.accessKeyId, userName: S.userName, account: S.account }),
  );
  if (!parsed.ok) throw new Error(parsed.problem.reason);
  return {
    format: STATE_FORMAT,
    mode: 'contain-and-delete',
    execute: true,
    startedAt: NOW,
    case: parsed.case,
    identified: { account: S.account, userName: S.userName, root: false, status: 'Inactive', notes: [] },
  };
};

const run = async (
  records: Array<Record<string, unknown>>,
  options: Parameters<typeof fakeLookupEvents>[1] = {},
  regions: string[] | 'all' = ['us-east-1'],
) => {
  const clock = virtualClock(Date.parse(NOW));
  const fake = fakeLookupEvents(records, { ...options, clock });
  cloudtrail.on(LookupEventsCommand).callsFake(fake.handler);
  const source = lookupSource({
    regions,
    client: (region) =>
      retryingCloudTrail(new CloudTrailClient({ region, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }), {
        sleep: clock.sleep,
      }),
    listRegions: async () => ['us-east-1', 'eu-west-1'],
    clock,
  });
  const state = await investigate(startState(), {
    readEvents: (query) => source.read(query),
    readReport: () => source.report(),
    trailSource: source.description,
    channels: [],
    now: () => new Date(clock.now()).toISOString(),
  });
  return { state, calls: fake.calls, clock };
};

describe('investigation through LookupEvents', () => {
  // 498 calls with the key + its AssumeRole and GetSessionToken: 500 events of the key, 10 pages of 50.
  const records = [...keyCalls(S, 498), assumeRole(S), getSessionToken(S), ...footholdCalls(S)];

  it('reads all 500 events over 10 pages, by access key id and by user name, then follows what the key minted', async () => {
    const { state, calls } = await run(records);
    const byKey = calls.filter((c) => c.attribute === 'AccessKeyId' && c.value === S.accessKeyId);
    expect(byKey).toHaveLength(10);
    expect(byKey.map((c) => c.nextToken ?? 'first')).toEqual([
      'first',
      ...Array.from({ length: 9 }, (_, i) => `token-${(i + 1) * 50}`),
    ]);
    expect(calls.filter((c) => c.attribute === 'Username' && c.value === 'alice')).toHaveLength(10);
    expect(calls.filter((c) => c.attribute === 'AccessKeyId' && c.value === S.roleKey)).toHaveLength(1);
    expect(calls.filter((c) => c.attribute === 'AccessKeyId' && c.value === S.sessionKey)).toHaveLength(1);
    const investigation = state.investigation!;
    expect(investigation.complete).toBe(true);
    expect(investigation.key.events).toBe(504);
    expect(investigation.key.accessKeyIds).toEqual([S.accessKeyId, S.roleKey, S.sessionKey]);
    expect(investigation.rolesAssumed.map((r) => r.roleArn)).toEqual([`arn:aws:iam::${S.account}:role/Deploy`]);
    expect(investigation.sessions.map((s) => s.accessKeyId)).toEqual([S.sessionKey]);
    expect(investigation.footholds.map((f) => [f.kind, f.name])).toEqual([
      ['access-key', 'AKIAXAFZN8JEPF6L682H'],
      ['login-profile', 'malicious-iam-user'],
      ['user', 'malicious-iam-user'],
    ]);
    expect(investigation.key.suspicious.map((c) => c.eventName)).toEqual(
      expect.arrayContaining([
        'AssumeRole',
        'GetSessionToken',
        'CreateUser',
        'CreateAccessKey',
        'CreateLoginProfile',
        'AttachUserPolicy',
      ]),
    );
    expect(investigation.user?.events).toBe(504);
    expect(investigation.key.eventNames[0]).toEqual({ value: 'ListBuckets', count: 498 });
  });

  it('paces each region at 2 requests per second', async () => {
    const { calls } = await run(records);
    const times = calls.map((c) => c.at).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(500);
  });

  it('tries a throttled page again and still reads everything', async () => {
    const { state, calls, clock } = await run(records, { throttleFirst: 2 });
    expect(state.investigation?.complete).toBe(true);
    expect(state.investigation?.key.events).toBe(504);
    expect(
      calls.filter((c) => c.attribute === 'AccessKeyId' && c.value === S.accessKeyId && !c.nextToken),
    ).toHaveLength(3);
    expect(clock.sleeps).toEqual(expect.arrayContaining([1000, 2000]));
  });

  it('a page that stays throttled leaves the investigation incomplete, so the key is not deleted', async () => {
    const { state } = await run(records, { throttleAlways: true });
    const investigation = state.investigation!;
    expect(investigation.complete).toBe(false);
    expect(investigation.problems[0]).toMatch(
      /^lookup:us-east-1 AccessKeyId=AKIAIOSFODNN7EXAMPLE: LookupEvents failed: ThrottlingException/,
    );
    const plan = planRevocation({
      found: state.case!,
      identified: state.identified!,
      investigation,
      mode: 'contain-and-delete',
      now: NOW,
    });
    expect(plan.actions).toEqual([]);
    expect(plan.skipped.find((s) => s.kind === 'delete-key')?.reason).toContain('the investigation could not read all');
  });

  it('lookup:all reads every enabled region and flags instances launched in a region the key had not used', async () => {
    const launched = keyCalls(S, 1, { region: 'eu-west-1', eventName: 'RunInstances' });
    (launched[0] as Record<string, unknown>).eventSource = 'ec2.amazonaws.com';
    const { state, calls } = await run([...keyCalls(S, 2), ...launched], {}, 'all');
    expect(new Set(calls.map((c) => c.region))).toEqual(new Set(['us-east-1', 'eu-west-1']));
    expect(state.investigation?.key.regions).toEqual([
      { value: 'us-east-1', count: 2 },
      { value: 'eu-west-1', count: 1 },
    ]);
    expect(state.investigation?.key.suspicious.map((c) => c.reason)).toContain(
      'launched instances in eu-west-1, a region this key had not used before',
    );
  });

  it('never copies a session token or a secret from the events', async () => {
    const calls = footholdCalls(S);
    const created = calls.find((r) => r.eventName === 'CreateAccessKey') as Record<string, unknown>;
    (created.responseElements as Record<string, Record<string, unknown>>).accessKey!.secretAccessKey =
      'CANARY-SECRET-KEY-wJalrXUtnFEMI';
    const { state } = await run([...keyCalls(S, 2), assumeRole(S), getSessionToken(S), ...calls]);
    const text = JSON.stringify(state);
    expect(text).toContain('AKIAXAFZN8JEPF6L682H');
    expect(text).not.toContain('CANARY');
  });
});
