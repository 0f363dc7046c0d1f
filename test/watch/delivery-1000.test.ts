/**
 * The delivery guarantee: 1,000 EventBridge deliveries (real record shapes: PutKeyPolicy, CreateGrant, RevokeGrant,
 * DisableKey), 30 % of them duplicates, in shuffled order, produce exactly one alert per new exposure and miss none.
 * The expected exposures come from an independent oracle: the engine run on each state the generator meant to
 * create. Each exposure of the generator opens once per key (keys gain exposures, then may be reverted), and each
 * ransom incident has exactly three steps (see docs/watch.md for the limits beyond that).
 */
import { describe, expect, it } from 'vitest';
import { deliverOutbox } from '../../src/app/deliver';
import { handleWatchEvent } from '../../src/app/watch';
import { isAlertable } from '../../src/app/watch-alerts';
import { analyseRecord } from '../../src/app/watch-analyse';
import { fingerprint } from '../../src/findings/fingerprint';
import type { RawSnapshot } from '../../src/kms/snapshot-format';
import type { Channel } from '../../src/sinks/notify/channel';
import type { NotificationMessage } from '../../src/sinks/notify/types';
import { seededRandom } from '../aws/standin-data';
import {
  ACCOUNT,
  envelope,
  inProcessKms,
  type Json,
  type KmsKey,
  keyArnOf,
  keyIdOf,
  kmsKey,
  loadEvent,
  minute,
  outsiderStatement,
  PUBLIC_STATEMENT,
  policyText,
  putKeyPolicy,
  rawOf,
  reaim,
  SETTINGS,
  tempStore,
} from './helpers';

const OUTSIDERS = ['210987654321', '310987654321', '410987654321', '510987654321'];
const random = seededRandom(20240501);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

interface Generated {
  events: Json[];
  /** Alertable finding ids the generator's states contain (the oracle). */
  expected: Set<string>;
  kms: Map<string, KmsKey>;
}

const alertableIds = (raw: RawSnapshot, arn: string): string[] =>
  analyseRecord(raw, SETTINGS.analysis, arn)
    .findings.filter((f) => isAlertable(f, SETTINGS.alertOn))
    .map((f) => f.id);

function generate(uniqueEvents: number): Generated {
  const events: Json[] = [];
  const expected = new Set<string>();
  const kms = new Map<string, KmsKey>();
  let key = 0;
  let time = 0;
  while (events.length < uniqueEvents) {
    key++;
    const keyId = keyIdOf(key);
    const arn = keyArnOf(keyId);
    const base = kmsKey(keyId);
    kms.set(arn, base);
    const kind = key % 10 < 6 ? 'policy' : key % 10 < 9 ? 'grant' : 'ransom';
    if (kind === 'policy') {
      // Exposures accumulate (each opens once), then all may be reverted.
      const statements: Json[] = [];
      const steps = 2 + Math.floor(random() * 3);
      for (let s = 0; s < steps; s++) {
        const add = random() < 0.25 ? PUBLIC_STATEMENT : outsiderStatement(pick(OUTSIDERS));
        if (!statements.some((st) => st.Sid === add.Sid)) statements.push(add);
        const policy = policyText(...statements);
        events.push(putKeyPolicy({ keyId, time: minute(time++), id: `p-${key}-${s}`, policy }));
        for (const id of alertableIds({ ...rawOf(base), GetKeyPolicy: { Policy: policy } }, arn)) expected.add(id);
      }
      if (random() < 0.5)
        events.push(putKeyPolicy({ keyId, time: minute(time++), id: `p-${key}-revert`, policy: policyText() }));
    } else if (kind === 'grant') {
      const grantee = `arn:aws:iam::${pick(OUTSIDERS)}:role/partner-${key}`;
      const create = reaim('create-grant', { keyId, time: minute(time++), id: `g-${key}-create` });
      const grantId = `${String(key).padStart(8, '0')}${'ab'.repeat(28)}`;
      (create.requestParameters as Json).granteePrincipal = grantee;
      (create.responseElements as Json).grantId = grantId;
      events.push(create);
      const grant = { KeyId: arn, GrantId: grantId, GranteePrincipal: grantee, Operations: ['Encrypt', 'RetireGrant'] };
      for (const id of alertableIds({ ...rawOf(base), ListGrants: { Grants: [grant] } }, arn)) expected.add(id);
      if (random() < 0.5) {
        const revoke = reaim('revoke-grant', { keyId, time: minute(time++), id: `g-${key}-revoke` });
        (revoke.requestParameters as Json).grantId = grantId;
        events.push(revoke);
      } else base.grants.push(grant); // still there when AWS is read
    } else {
      // One role disables exactly three keys within 10 minutes: one ransom incident.
      const role = `arn:aws:iam::${ACCOUNT}:role/ransom-${key}`;
      const start = time;
      for (let s = 0; s < 3; s++) {
        const target = keyIdOf(100_000 + key * 10 + s);
        kms.set(keyArnOf(target), kmsKey(target));
        const event = { ...loadEvent('panther-disable-key-assumed-role') };
        event.eventID = `r-${key}-${s}`;
        event.eventTime = minute(start + s * 2);
        event.recipientAccountId = ACCOUNT;
        event.requestParameters = { keyId: keyArnOf(target) };
        event.resources = [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: keyArnOf(target) }];
        event.userIdentity = {
          ...(event.userIdentity as Json),
          sessionContext: { sessionIssuer: { type: 'Role', arn: role, accountId: ACCOUNT } },
        };
        events.push(event);
      }
      time += 30;
      expected.add(fingerprint({ rule: 'ransom-pattern', resource: role }));
    }
  }
  return { events, expected, kms };
}

/** Shuffled deliveries with `share` of them delivered twice. */
function deliveries(events: Json[], total: number): Json[] {
  const list = events.map(envelope);
  while (list.length < total) list.push(pick(events.map(envelope)));
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

describe('1,000 deliveries, 30 % duplicates, shuffled', () => {
  it('alert each new exposure exactly once and miss none', async () => {
    const { events, expected, kms: keys } = generate(700);
    const stream = deliveries(events, 1000);
    expect(stream.length).toBe(1000);
    expect(1 - events.length / stream.length).toBeGreaterThanOrEqual(0.29);

    const temp = tempStore();
    const kms = inProcessKms(keys);
    const sent: NotificationMessage[] = [];
    const memory: Channel = { name: 'memory', send: async (message) => void sent.push(message) };
    const now = () => '2024-05-02T00:00:00.000Z';
    try {
      let handled = 0;
      for (const event of stream) {
        await handleWatchEvent(
          event,
          { store: temp.store, fetchKey: kms.fetchKey, now },
          { ...SETTINGS, channels: [memory.name] },
        );
        if (++handled % 100 === 0) await deliverOutbox(temp.store, [memory], { now });
      }
      await deliverOutbox(temp.store, [memory], { now });

      const alerted = new Map<string, number>();
      for (const message of sent) {
        for (const finding of message.payload.findings) alerted.set(finding.id, (alerted.get(finding.id) ?? 0) + 1);
      }
      const twice = [...alerted].filter(([, n]) => n > 1);
      expect(twice).toEqual([]);
      const missed = [...expected].filter((id) => !alerted.has(id));
      expect(missed).toEqual([]);
      const unexpected = [...alerted.keys()].filter((id) => !expected.has(id));
      expect(unexpected).toEqual([]);
      expect(expected.size).toBeGreaterThan(150);
    } finally {
      kms.mock.restore();
      await temp.cleanup();
    }
  }, 120_000);
});
