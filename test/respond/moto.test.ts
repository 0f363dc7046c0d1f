/**
 * The contain path end to end through the real SDK against moto (IAM, STS, SNS); CloudTrail LookupEvents, which
 * moto lacks, answered by aws-sdk-client-mock. The store is SQLite in a temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ExposedKeyDeps, respondToExposedKey } from '../../src/app/exposed-key';
import { exposedKeyIam } from '../../src/respond/aws/exposed-key-iam';
import type { ResponseMode } from '../../src/respond/plan/exposed-key-types';
import { createSnsChannel } from '../../src/sinks/notify/sns';
import { openSqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/store';
import { lookupSource } from '../../src/trail/read/lookup';
import { attackRecords, healthEvent, type Scenario, trustedAdvisorEvent } from './fixtures';
import { fakeLookupEvents, virtualClock } from './lookup-fake';
import { MOTO_ACCOUNT, MOTO_SKIP_MESSAGE, type MotoWorld, motoAvailable, startMotoWorld } from './moto-world';
import { type SnsReceiver, snsReceiver } from './sns-receiver';

if (!motoAvailable) console.warn(MOTO_SKIP_MESSAGE);

const QUARANTINE_V3 = 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3';
const cloudtrail = mockClient(CloudTrailClient);

describe.skipIf(!motoAvailable)('exposed-key response against moto', () => {
  let world: MotoWorld;
  let dir: string;
  let store: Store;
  let receiver: SnsReceiver;
  let key: string;
  let scenario: Scenario;
  let now: string;

  beforeAll(async () => {
    world = await startMotoWorld();
  });
  afterAll(async () => {
    await world?.moto.stop();
  });

  beforeEach(async () => {
    await world.moto.reset();
    cloudtrail.reset();
    key = await world.createUserWithKey('alice');
    await world.createRole('Deploy');
    receiver = await snsReceiver(world.sns, 'keywarden-alerts');
    scenario = {
      accessKeyId: key,
      userName: 'alice',
      account: MOTO_ACCOUNT,
      roleName: 'Deploy',
      roleKey: 'ASIAIOSFODNN7EXAMPLE',
      sessionKey: 'ASIAIOSFODNN7SESSION',
      day: '2024-06-02',
    };
    now = '2024-06-02T12:00:00.000Z';
    dir = mkdtempSync(join(tmpdir(), 'kw-moto-'));
    const opened = openSqliteStore({ path: join(dir, 'store.db') });
    if (!opened.ok) throw new Error(opened.reason);
    store = opened.value;
  });
  afterEach(async () => {
    await receiver.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const deps = (records = attackRecords(scenario)): ExposedKeyDeps => {
    const clock = virtualClock(Date.parse(now));
    cloudtrail.on(LookupEventsCommand).callsFake(fakeLookupEvents(records, { clock }).handler);
    const source = lookupSource({
      regions: ['us-east-1'],
      client: (region) => new CloudTrailClient({ region, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
      listRegions: async () => ['us-east-1'],
      clock,
    });
    return {
      iam: exposedKeyIam({ iam: world.iam, sts: world.sts, now: () => now }),
      store,
      readEvents: (query) => source.read(query),
      readReport: () => source.report(),
      channels: [createSnsChannel({ topicArn: receiver.topicArn, client: world.sns })],
      now: () => now,
    };
  };

  const respond = (event: unknown, mode: ResponseMode = 'contain', records?: Array<Record<string, unknown>>) =>
    respondToExposedKey(event, { mode, execute: true }, deps(records));

  it('contains the key, quarantines the user, revokes the role sessions it minted, and tells a human once', async () => {
    const state = await respond(trustedAdvisorEvent({ accessKeyId: key, userName: 'alice', account: MOTO_ACCOUNT }));
    expect(await world.keyStatus('alice', key)).toBe('Inactive');
    expect(await world.attachedPolicies('alice')).toEqual([QUARANTINE_V3]);
    const revoked = JSON.parse((await world.rolePolicy('Deploy', 'AWSRevokeOlderSessions')) ?? '{}');
    expect(revoked.Statement[0]).toEqual({
      Effect: 'Deny',
      Action: ['*'],
      Resource: ['*'],
      Condition: { DateLessThan: { 'aws:TokenIssueTime': '2024-06-02T12:00:00Z' } },
    });
    expect(await world.userPolicy('alice', 'AWSRevokeOlderSessions')).toContain('aws:TokenIssueTime');
    expect(state.notice?.deliveries).toEqual([
      { channel: `sns:${receiver.topicArn}`, outcome: 'sent', detail: 'sent' },
    ]);
    const [message] = await receiver.waitFor(1);
    expect(message?.Subject).toBe(`[keywarden] CRITICAL contained: exposed key ${key} (user alice)`);
    expect(message?.Message).toContain('What the key created (remove it)');
    expect(message?.Message).toContain('malicious-iam-user');
    expect(message?.Message).toContain(`Delete ${key} once nothing legitimate uses it`);
    expect(await world.keyStatus('alice', key)).not.toBe('deleted');
  });

  it('a second event for the same case (now from AWS Health) changes nothing and sends no second notice', async () => {
    await respond(trustedAdvisorEvent({ accessKeyId: key, userName: 'alice', account: MOTO_ACCOUNT }));
    const firstCutoff = await world.rolePolicy('Deploy', 'AWSRevokeOlderSessions');
    now = '2024-06-02T12:30:00.000Z';
    const second = await respond(healthEvent({ accessKeyId: key, userName: 'alice', account: MOTO_ACCOUNT }));
    expect([...second.contain!.results, ...second.revoke!.results].map((r) => r.outcome)).toEqual([
      'already-done',
      'already-done',
      'already-done',
      'already-done',
    ]);
    expect(second.notice?.deliveries[0]).toMatchObject({ outcome: 'already-sent' });
    expect(await world.rolePolicy('Deploy', 'AWSRevokeOlderSessions')).toBe(firstCutoff);
    await receiver.waitFor(2, 1000);
    expect(receiver.received).toHaveLength(1);
  });

  it('contain-and-delete deletes the key after the investigation, once', async () => {
    const first = await respond(
      trustedAdvisorEvent({ accessKeyId: key, userName: 'alice', account: MOTO_ACCOUNT }),
      'contain-and-delete',
    );
    expect(first.revoke?.results.find((r) => r.kind === 'delete-key')?.outcome).toBe('applied');
    expect(await world.keyStatus('alice', key)).toBe('deleted');
    const second = await respond(
      healthEvent({ accessKeyId: key, userName: 'alice', account: MOTO_ACCOUNT }),
      'contain-and-delete',
    );
    expect(second.identified?.status).toBe('deleted');
    expect(second.contain?.results).toEqual([]);
    // The sessions the key minted outlive it: their revocation stays planned, and is already done.
    expect(second.revoke?.results.map((r) => [r.kind, r.outcome])).toEqual([
      ['revoke-role-sessions', 'already-done'],
      ['revoke-user-sessions', 'already-done'],
    ]);
    expect(second.notice?.deliveries[0]?.outcome).toBe('already-sent');
  });

  it('two events for the same case at once: one deletion, one notice', async () => {
    const [a, b] = await Promise.all([
      respond(
        trustedAdvisorEvent({ accessKeyId: key, userName: 'alice', account: MOTO_ACCOUNT }),
        'contain-and-delete',
      ),
      respond(healthEvent({ accessKeyId: key, userName: 'alice', account: MOTO_ACCOUNT }), 'contain-and-delete'),
    ]);
    const deletions = [a, b].map((s) => s.revoke?.results.find((r) => r.kind === 'delete-key')?.outcome);
    expect(deletions.sort()).toEqual(['already-done', 'applied']);
    expect(await world.keyStatus('alice', key)).toBe('deleted');
    expect([a, b].map((s) => s.notice?.deliveries[0]?.outcome).sort()).toEqual(['queued', 'sent']);
    await receiver.waitFor(2, 1000);
    expect(receiver.received).toHaveLength(1);
  });

  it('notify mode changes nothing and still tells a human', async () => {
    const state = await respond(
      trustedAdvisorEvent({ accessKeyId: key, userName: 'alice', account: MOTO_ACCOUNT }),
      'notify',
    );
    expect(await world.keyStatus('alice', key)).toBe('Active');
    expect(await world.attachedPolicies('alice')).toEqual([]);
    expect(await world.rolePolicy('Deploy', 'AWSRevokeOlderSessions')).toBeUndefined();
    expect(state.notice?.subject).toBe(`[keywarden] CRITICAL notify only: exposed key ${key} (user alice)`);
    expect(await receiver.waitFor(1)).toHaveLength(1);
  });

  it('a root key: nothing changed, the manual procedure sent', async () => {
    const state = await respond(trustedAdvisorEvent({ accessKeyId: key, userName: 'root', account: MOTO_ACCOUNT }));
    expect(await world.keyStatus('alice', key)).toBe('Active');
    expect(allKinds(state)).toEqual([]);
    const [message] = await receiver.waitFor(1);
    expect(message?.Subject).toBe(`[keywarden] CRITICAL root key, act by hand: exposed key ${key} (root user)`);
    expect(message?.Message).toContain("To do: Deactivate and delete the root user's access key");
  });

  it("another account's key: nothing changed", async () => {
    const state = await respond(trustedAdvisorEvent({ accessKeyId: key, userName: 'alice', account: '999988887777' }));
    expect(state.identified?.blocked).toContain('run the response with credentials of account 999988887777');
    expect(await world.keyStatus('alice', key)).toBe('Active');
  });

  it('bad input: a clear error, a notice to humans, no action on AWS', async () => {
    const event = trustedAdvisorEvent({ accessKeyId: key, userName: 'alice', account: MOTO_ACCOUNT });
    delete ((event.detail as Record<string, unknown>)['check-item-detail'] as Record<string, unknown>)['Access Key ID'];
    const state = await respond(event);
    expect(state.problem?.reason).toContain('Access Key ID is missing');
    expect(state.contain).toBeUndefined();
    expect(await world.keyStatus('alice', key)).toBe('Active');
    expect(await world.attachedPolicies('alice')).toEqual([]);
    const [message] = await receiver.waitFor(1);
    expect(message?.Subject).toBe('[keywarden] HIGH exposed-key event not handled: aws.trustedadvisor');
    expect(message?.Message).toContain('nothing: no AWS resource was touched');
    await respond(event);
    await receiver.waitFor(2, 1000);
    expect(receiver.received).toHaveLength(1);
  });
});

const allKinds = (state: Awaited<ReturnType<typeof respondToExposedKey>>) =>
  [...(state.contain?.results ?? []), ...(state.revoke?.results ?? [])].map((r) => r.kind);
