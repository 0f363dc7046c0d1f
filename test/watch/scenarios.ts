/**
 * The watch's behaviour on real event shapes, as one suite run on each store (SQLite in watch.sqlite.test.ts,
 * DynamoDB on dynalite in watch.dynamodb.test.ts). AWS calls are answered in-process (aws-sdk-client-mock).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AnalysedEvent, handleWatchEvent, type WatchDeps, type WatchOutcome } from '../../src/app/watch';
import { messageIdOf } from '../../src/app/watch-alerts';
import { UNHANDLED_CHANNEL } from '../../src/app/watch-kept';
import type { Store } from '../../src/store/store';
import {
  ACCOUNT,
  envelope,
  inProcessKms,
  type Json,
  KEY_ARN,
  KEY_ID,
  keyArnOf,
  keyIdOf,
  kmsKey,
  loadEvent,
  minute,
  OUTSIDER,
  outsiderStatement,
  PUBLIC_STATEMENT,
  policyText,
  putKeyPolicy,
  reaim,
  SETTINGS,
  storedPolicy,
} from './helpers';

export interface StoreUnderTest {
  store: Store;
  cleanup(): Promise<void>;
}

const analysed = (outcome: WatchOutcome): AnalysedEvent => {
  if (outcome.status !== 'analysed') throw new Error(`expected an analysed event, got ${outcome.status}`);
  return outcome;
};
const rulesOf = (findings: Array<{ rule: string }>) => findings.map((f) => f.rule).sort();
const iso = (time: string) => new Date(time).toISOString();

export function watchScenarios(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`live watch on ${name}`, () => {
    let under: StoreUnderTest;
    let store: Store;
    let kms: ReturnType<typeof inProcessKms>;
    let deps: WatchDeps;
    const handle = (event: unknown, replay = false) =>
      handleWatchEvent(event, deps, { ...SETTINGS, ...(replay ? { replay } : {}) });

    beforeEach(async () => {
      under = await open();
      store = under.store;
      kms = inProcessKms(new Map([[KEY_ARN, kmsKey(KEY_ID)]]));
      deps = { store, fetchKey: kms.fetchKey, now: () => '2024-05-01T13:00:00.000Z' };
    });
    afterEach(async () => {
      kms.mock.restore();
      await under.cleanup();
    });

    it('catches a public policy from the event itself, although AWS already holds the reverted one', async () => {
      const event = envelope(putKeyPolicy({ time: minute(1), id: 'e-public', policy: policyText(PUBLIC_STATEMENT) }));
      const outcome = analysed(await handle(event));
      expect(outcome.diff.kind).toBe('recorded');
      const diff = outcome.diff as Extract<AnalysedEvent['diff'], { kind: 'recorded' }>;
      const publicKey = diff.new.find((f) => f.rule === 'public-key');
      expect(publicKey?.resource).toBe(KEY_ARN);
      expect(outcome.basis).toMatchObject({ GetKeyPolicy: 'event', ListGrants: 'aws', DescribeKey: 'aws' });
      expect(storedPolicy((await store.getLatestSnapshot(KEY_ARN))?.snapshot)).toContain('"Principal": "*"');
      const alertId = `${publicKey?.id}@${iso(minute(1))}`;
      expect(outcome.alerts.enqueued).toContain(messageIdOf(alertId, 'test-channel'));
      const message = await store.getMessage(messageIdOf(alertId, 'test-channel'));
      expect(message?.payload).toMatchObject({
        kind: 'new',
        finding: { rule: 'public-key' },
        change: { eventId: 'e-public' },
      });
    });

    it('skips a duplicate delivery, and a replay alerts nothing twice', async () => {
      const event = envelope(putKeyPolicy({ time: minute(1), id: 'e-dup', policy: policyText(PUBLIC_STATEMENT) }));
      const first = analysed(await handle(event));
      expect(await handle(event)).toMatchObject({ status: 'duplicate', eventId: 'e-dup' });
      const replay = analysed(await handle(event, true));
      expect(replay.duplicate).toBe(true);
      expect(replay.alerts.enqueued).toEqual([]);
      expect(replay.alerts.known.sort()).toEqual(first.alerts.enqueued.sort());
    });

    it('reports a revert as resolved and tells the channels', async () => {
      await handle(envelope(putKeyPolicy({ time: minute(1), id: 'e1', policy: policyText(PUBLIC_STATEMENT) })));
      const revert = analysed(
        await handle(envelope(putKeyPolicy({ time: minute(2), id: 'e2', policy: policyText() }))),
      );
      const diff = revert.diff as Extract<AnalysedEvent['diff'], { kind: 'recorded' }>;
      expect(rulesOf(diff.resolved)).toContain('public-key');
      expect(diff.new).toEqual([]);
      expect(revert.alerts.enqueued.some((id) => id.includes(':resolved|'))).toBe(true);
    });

    it('a late event never overwrites newer state, and alerts a short-lived exposure once', async () => {
      await handle(envelope(putKeyPolicy({ time: minute(5), id: 'revert', policy: policyText() })));
      const late = analysed(
        await handle(envelope(putKeyPolicy({ time: minute(3), id: 'open-1', policy: policyText(PUBLIC_STATEMENT) }))),
      );
      expect(late.saved).toMatchObject({ saved: false, reason: 'older' });
      expect(late.diff.kind).toBe('late');
      const diff = late.diff as Extract<AnalysedEvent['diff'], { kind: 'late' }>;
      expect(rulesOf(diff.transient)).toContain('public-key');
      expect(storedPolicy((await store.getLatestSnapshot(KEY_ARN))?.snapshot)).not.toContain('"Principal": "*"');
      expect(late.alerts.enqueued).toHaveLength(late.alerts.ids.length);
      const again = analysed(
        await handle(envelope(putKeyPolicy({ time: minute(4), id: 'open-2', policy: policyText(PUBLIC_STATEMENT) }))),
      );
      expect(again.alerts.ids).toEqual(late.alerts.ids);
      expect(again.alerts.enqueued).toEqual([]);
    });

    it('a grant to another account is new, its revocation resolves it (CreateGrant, RevokeGrant)', async () => {
      const create = reaim('create-grant', { time: minute(1), id: 'grant-1' });
      (create.requestParameters as Json).granteePrincipal = `arn:aws:iam::${OUTSIDER}:role/partner`;
      const opened = analysed(await handle(envelope(create)));
      const diff = opened.diff as Extract<AnalysedEvent['diff'], { kind: 'recorded' }>;
      expect(rulesOf(diff.new)).toContain('external-grant');
      const revoke = reaim('revoke-grant', { time: minute(2), id: 'grant-2' });
      (revoke.requestParameters as Json).grantId = (create.responseElements as Json).grantId;
      const closed = analysed(await handle(envelope(revoke)));
      expect(rulesOf((closed.diff as Extract<AnalysedEvent['diff'], { kind: 'recorded' }>).resolved)).toContain(
        'external-grant',
      );
    });

    it('reports a refused PutKeyPolicy as someone trying, with what it would have done, and stores no state', async () => {
      const outcome = analysed(await handle(envelope(loadEvent('put-key-policy-access-denied'))));
      expect(outcome.failed).toBe(true);
      expect(outcome.diff.kind).toBe('not recorded');
      const attempt = outcome.detections.find((f) => f.rule === 'attempt-denied');
      expect(attempt?.severity).toBe('high');
      expect(attempt?.explanation).toContain('Key usable by anyone');
      expect(outcome.alerts.ids).toHaveLength(1);
      expect(await store.getLatestSnapshot(KEY_ARN)).toBeUndefined();
      expect(kms.calls.count).toBe(0);
    });

    it('does not alert a failed call that is no attempt (DisableKey NotFoundException)', async () => {
      const outcome = analysed(await handle(loadEvent('panther-disable-key-error')));
      expect(outcome.failed).toBe(true);
      expect(outcome.detections).toEqual([]);
      expect(outcome.alerts.ids).toEqual([]);
    });

    it('flags BypassPolicyLockoutSafetyCheck and a known attack tool user agent', async () => {
      const event = putKeyPolicy({ time: minute(1), id: 'bypass', policy: policyText() });
      (event.requestParameters as Json).bypassPolicyLockoutSafetyCheck = true;
      event.userAgent = 'Boto3/1.7.62 Python/3.7.0 Windows/10 Botocore/1.10.62';
      const outcome = analysed(await handle(envelope(event)));
      expect(rulesOf(outcome.detections)).toEqual(['attack-tool', 'lockout-check-bypassed']);
      expect(outcome.detections.find((f) => f.rule === 'attack-tool')?.explanation).toContain('Pacu');
      expect(outcome.alerts.ids).toHaveLength(2);
    });

    it('raises the ransom pattern once when one role disables 3 keys within 10 minutes', async () => {
      const base = loadEvent('panther-disable-key-assumed-role');
      const disable = (n: number, time: string) => {
        const keyId = keyIdOf(n);
        kms.mock.restore();
        return {
          ...base,
          eventID: `ransom-${n}`,
          eventTime: time,
          recipientAccountId: ACCOUNT,
          requestParameters: { keyId: keyArnOf(keyId) },
          resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: keyArnOf(keyId) }],
        };
      };
      deps = { store, now: deps.now }; // offline: the event and the store are enough
      const outcomes = [];
      for (const [n, time] of [
        [1, minute(0)],
        [2, minute(3)],
        [3, minute(6)],
        [4, minute(8)],
      ] as const) {
        outcomes.push(analysed(await handle(envelope(disable(n, time)))));
      }
      expect(outcomes.slice(0, 2).flatMap((o) => o.detections.map((f) => f.rule))).toEqual([]);
      const third = outcomes[2]!.detections.find((f) => f.rule === 'ransom-pattern');
      expect(third?.severity).toBe('critical');
      expect(third?.title).toContain('3 keys');
      const fourth = outcomes[3]!.detections.find((f) => f.rule === 'ransom-pattern');
      expect(fourth?.title).toContain('4 keys');
      const ransomAlert = (o: AnalysedEvent) => o.alerts.ids.filter((id) => id.startsWith(third!.id));
      expect(ransomAlert(outcomes[3]!)).toEqual(ransomAlert(outcomes[2]!));
      expect(outcomes[3]!.alerts.enqueued.filter((id) => id.startsWith(third!.id))).toEqual([]);
    });

    it('keeps the key ARN (and so the finding ids) when the key could not be read at all', async () => {
      deps = { store, now: deps.now };
      const event = envelope(putKeyPolicy({ time: minute(1), id: 'offline', policy: policyText(PUBLIC_STATEMENT) }));
      const offline = analysed(await handle(event));
      expect(offline.report?.key.arn).toBe(KEY_ARN);
      const ids = offline.report?.findings.filter((f) => f.rule === 'public-key').map((f) => [f.id, f.resource]);
      deps = { store, fetchKey: kms.fetchKey, now: deps.now };
      const online = analysed(
        await handle(envelope(putKeyPolicy({ time: minute(2), id: 'online', policy: policyText(PUBLIC_STATEMENT) }))),
      );
      expect(online.report?.findings.filter((f) => f.rule === 'public-key').map((f) => [f.id, f.resource])).toEqual(
        ids,
      );
      expect(ids?.[0]?.[1]).toBe(KEY_ARN);
    });

    it('keeps events it cannot handle, never drops them', async () => {
      const tag = await handle(loadEvent('tag-resource'));
      expect(tag).toMatchObject({ status: 'kept', reason: expect.stringContaining('TagResource') });
      const junk = await handle({ 'detail-type': 'AWS API Call via CloudTrail', detail: { eventName: 5 } });
      expect(junk.status).toBe('kept');
      for (const outcome of [tag, junk]) {
        const message = await store.getMessage((outcome as { messageId: string }).messageId);
        expect(message).toMatchObject({ status: 'dead', channel: UNHANDLED_CHANNEL });
      }
    });

    it('analyses the policy of an event that names no key, without recording it', async () => {
      const outcome = analysed(await handle(loadEvent('panther-put-key-policy-public')));
      expect(outcome.diff.kind).toBe('not recorded');
      expect(rulesOf(outcome.report?.findings ?? [])).toContain('public-key');
      expect(outcome.alerts.ids.length).toBeGreaterThan(0);
    });

    it('analyses a replica from the ReplicateKey record (policy from responseElements)', async () => {
      deps = { store, now: deps.now };
      const outcome = analysed(await handle(envelope(loadEvent('replicate-key'))));
      const rules = rulesOf(outcome.report?.findings ?? []);
      expect(rules).toContain('untrusted-account-access');
      expect(outcome.keyArn).toBe('arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
      expect(outcome.basis).toMatchObject({ DescribeKey: 'event', GetKeyPolicy: 'event', ListGrants: 'event' });
    });

    it('takes a field AWS refused from the stored snapshot, and says so', async () => {
      await handle(
        envelope(putKeyPolicy({ time: minute(1), id: 'seed', policy: policyText(outsiderStatement(OUTSIDER)) })),
      );
      kms.mock.restore();
      kms = inProcessKms(new Map());
      const denied = Object.assign(new Error('User is not authorized to perform: kms:ListGrants'), {
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: {},
      });
      kms.mock.onAnyCommand().rejects(denied);
      deps = { ...deps, fetchKey: kms.fetchKey };
      const outcome = analysed(
        await handle(envelope(putKeyPolicy({ time: minute(2), id: 'next', policy: policyText() }))),
      );
      expect(outcome.basis).toMatchObject({ ListGrants: 'store', DescribeKey: 'store', GetKeyPolicy: 'event' });
      expect(outcome.notes.join('\n')).toContain('ListGrants is from the snapshot stored at');
      expect(outcome.failedCalls.map((c) => c.code)).toContain('AccessDeniedException');
      const diff = outcome.diff as Extract<AnalysedEvent['diff'], { kind: 'recorded' }>;
      expect(rulesOf(diff.resolved)).toContain('untrusted-account-access');
    });

    it('records DisableKeyRotation and alerts nothing below the threshold', async () => {
      const outcome = analysed(await handle(envelope(reaim('disable-key-rotation', { time: minute(1), id: 'rot' }))));
      const diff = outcome.diff as Extract<AnalysedEvent['diff'], { kind: 'recorded' }>;
      expect(rulesOf(diff.new)).toContain('rotation-disabled');
      expect(outcome.alerts.ids).toEqual([]);
    });
  });
}
