/** The fix planner (pure): which AWS call fixes a finding, and when it refuses. Findings come from the engine. */
import { describe, expect, it } from 'vitest';
import { analyseRecord } from '../../src/app/watch-analyse';
import type { Finding } from '../../src/findings/types';
import type { RawSnapshot } from '../../src/kms/snapshot-format';
import { canonicalPolicy, type KeyState, planFix, samePolicy } from '../../src/respond/plan/fix';
import {
  KEY_ARN,
  KEY_ID,
  kmsKey,
  OUTSIDER,
  outsiderStatement,
  PUBLIC_STATEMENT,
  policyText,
  rawOf,
  SETTINGS,
} from '../watch/helpers';

const stateOf = (raw: RawSnapshot, asOf?: string): KeyState => {
  const policy = raw.GetKeyPolicy && 'Policy' in raw.GetKeyPolicy ? raw.GetKeyPolicy.Policy : undefined;
  const grants = raw.ListGrants && 'Grants' in raw.ListGrants ? raw.ListGrants.Grants : undefined;
  const meta = 'KeyMetadata' in raw.DescribeKey ? raw.DescribeKey.KeyMetadata : undefined;
  return {
    ...(asOf ? { asOf } : {}),
    ...(policy !== undefined ? { policyText: policy } : {}),
    ...(grants ? { grantIds: grants.map((g) => String(g.GrantId)) } : {}),
    ...(meta ? { keyState: String(meta.KeyState) } : {}),
    findings: analyseRecord(raw, SETTINGS.analysis, KEY_ARN).findings,
  };
};

const keyWith = (policy: string, change: (raw: RawSnapshot) => void = () => {}): RawSnapshot => {
  const raw = rawOf(kmsKey(KEY_ID, policy));
  change(raw);
  return raw;
};
const find = (state: KeyState, rule: string): Finding => {
  const found = state.findings.find((f) => f.rule === rule);
  if (!found) throw new Error(`no ${rule} finding in ${state.findings.map((f) => f.rule).join(', ')}`);
  return found;
};

const PUBLIC = stateOf(keyWith(policyText(PUBLIC_STATEMENT)), '2024-05-01T12:00:00.000Z');
const publicFinding = find(PUBLIC, 'public-key');

describe('planFix', () => {
  it('puts the corrected policy with the lockout safety check on', () => {
    const plan = planFix({ finding: publicFinding, keyArn: KEY_ARN, recorded: PUBLIC, live: PUBLIC });
    expect(plan.status).toBe('ready');
    if (plan.status !== 'ready') return;
    const [step] = plan.steps;
    expect(step).toMatchObject({ action: 'PutKeyPolicy', keyArn: KEY_ARN, bypassPolicyLockoutSafetyCheck: false });
    if (step?.action !== 'PutKeyPolicy') return;
    expect(samePolicy(step.policy, JSON.stringify(publicFinding.remediation.fixedPolicy))).toBe(true);
    expect(step.previousPolicy).toBe(PUBLIC.policyText);
    const fixed = stateOf(keyWith(step.policy));
    expect(fixed.findings.some((f) => f.rule === 'public-key')).toBe(false);
    expect(planFix({ finding: publicFinding, keyArn: KEY_ARN, recorded: PUBLIC, live: PUBLIC })).toEqual(plan);
  });

  it('refuses when the key policy changed since the finding was recorded', () => {
    const changed = stateOf(keyWith(policyText(PUBLIC_STATEMENT, outsiderStatement(OUTSIDER))));
    const plan = planFix({ finding: publicFinding, keyArn: KEY_ARN, recorded: PUBLIC, live: changed });
    expect(plan).toMatchObject({ status: 'refused', reason: expect.stringContaining('changed since the finding') });
  });

  it('does nothing when the live key no longer has the finding or it was resolved', () => {
    const clean = stateOf(keyWith(policyText()));
    expect(planFix({ finding: publicFinding, keyArn: KEY_ARN, live: clean }).status).toBe('nothing-to-do');
    expect(
      planFix({ finding: publicFinding, keyArn: KEY_ARN, resolvedAt: '2024-05-01T13:00:00.000Z', live: PUBLIC }),
    ).toMatchObject({ status: 'nothing-to-do', reason: expect.stringContaining('resolved') });
  });

  it('refuses when the live key cannot be read, and plans from the stored state when not asked (offline)', () => {
    expect(
      planFix({ finding: publicFinding, keyArn: KEY_ARN, recorded: PUBLIC, live: { error: 'ECONNREFUSED' } }),
    ).toMatchObject({
      status: 'refused',
      reason: expect.stringContaining('ECONNREFUSED'),
    });
    const offline = planFix({ finding: publicFinding, keyArn: KEY_ARN, recorded: PUBLIC });
    expect(offline.status === 'ready' && offline.notes.join()).toContain('not read');
  });

  it('revokes an outside grant, and does nothing when the grant is gone', () => {
    const grant = {
      KeyId: KEY_ARN,
      GrantId: 'f'.repeat(64),
      GranteePrincipal: `arn:aws:iam::${OUTSIDER}:role/partner`,
      Operations: ['Decrypt'],
      Constraints: { EncryptionContextSubset: { Dept: 'IT' } },
    };
    const withGrant = stateOf(keyWith(policyText(), (raw) => (raw.ListGrants = { Grants: [grant] })));
    const finding = find(withGrant, 'external-grant');
    expect(planFix({ finding, keyArn: KEY_ARN, recorded: withGrant, live: withGrant })).toMatchObject({
      status: 'ready',
      steps: [{ action: 'RevokeGrant', grantId: grant.GrantId }],
    });
    const gone = { ...withGrant, grantIds: [] };
    expect(planFix({ finding, keyArn: KEY_ARN, recorded: withGrant, live: gone }).status).toBe('nothing-to-do');
  });

  it('cancels a scheduled deletion; refuses to enable a disabled key', () => {
    const pending = stateOf(
      keyWith(policyText(), (raw) => {
        Object.assign((raw.DescribeKey as { KeyMetadata: Record<string, unknown> }).KeyMetadata, {
          KeyState: 'PendingDeletion',
          Enabled: false,
          DeletionDate: '2024-06-01T00:00:00Z',
        });
      }),
    );
    const finding = find(pending, 'key-state');
    expect(planFix({ finding, keyArn: KEY_ARN, recorded: pending, live: pending })).toMatchObject({
      status: 'ready',
      steps: [{ action: 'CancelKeyDeletion', keyArn: KEY_ARN }],
    });
    const disabled = { ...pending, keyState: 'Disabled' };
    expect(planFix({ finding, keyArn: KEY_ARN, live: disabled })).toMatchObject({ status: 'refused' });
  });

  it('refuses what has no automatic fix, quoting the remediation', () => {
    const state = stateOf(keyWith(policyText(), (raw) => (raw.GetKeyRotationStatus = { KeyRotationEnabled: false })));
    const finding = find(state, 'rotation-disabled');
    expect(planFix({ finding, keyArn: KEY_ARN, recorded: state, live: state })).toMatchObject({
      status: 'refused',
      reason: expect.stringContaining(finding.remediation.summary),
    });
  });

  it('--restore puts back the newest stored policy without a finding at or above the threshold', () => {
    const good = stateOf(keyWith(policyText()), '2024-05-01T10:00:00.000Z');
    const shared = stateOf(keyWith(policyText(outsiderStatement(OUTSIDER))), '2024-05-01T11:00:00.000Z');
    const restore = { failOn: 'high' as const, versions: [PUBLIC, shared, good] };
    const plan = planFix({ finding: publicFinding, keyArn: KEY_ARN, recorded: PUBLIC, live: PUBLIC, restore });
    expect(plan.status === 'ready' && plan.steps[0]).toMatchObject({ action: 'PutKeyPolicy', policy: good.policyText });
    expect(
      planFix({
        finding: publicFinding,
        keyArn: KEY_ARN,
        recorded: PUBLIC,
        live: PUBLIC,
        restore: { failOn: 'high', versions: [PUBLIC] },
      }),
    ).toMatchObject({ status: 'refused', reason: expect.stringContaining('no stored state') });
    expect(
      planFix({ finding: publicFinding, keyArn: KEY_ARN, live: good, restore: { failOn: 'high', versions: [good] } })
        .status,
    ).toBe('nothing-to-do');
  });

  it('compares policies by content, not by spacing or key order', () => {
    expect(canonicalPolicy('{"b": 1, "a": [ {"d": 2, "c": 3} ]}')).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(samePolicy(policyText(), JSON.stringify(JSON.parse(policyText())))).toBe(true);
    expect(samePolicy(policyText(), policyText(PUBLIC_STATEMENT))).toBe(false);
  });
});
