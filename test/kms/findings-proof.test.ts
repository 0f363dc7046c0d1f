/**
 * Every finding's example request must really be allowed by the policy it blames, and every fixed policy must
 * grant nothing the original did not: checked over the demo account, the rule cases and the shared corpus.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseAccess } from '../../src/kms/access';
import { decide } from '../../src/kms/decide';
import { isGap, isSkipped, type KeySnapshot } from '../../src/kms/snapshot';
import { parsePolicyValue } from '../../src/policy';
import { analyseKey } from '../../src/rules/engine';
import { readFiles } from '../../src/sources/files';
import { type RuleCase, snapshotOf } from '../rules/run-cases';

const ROOT = join(import.meta.dirname, '..', '..');
const SHARED = join(ROOT, '..', 'shared', 'corpus', 'key-policies', 'cases');
const TRUST = { trusted: { accounts: [], organizations: [], orgPaths: [] } };

async function snapshots(): Promise<KeySnapshot[]> {
  const out: KeySnapshot[] = [];
  for await (const item of readFiles([join(ROOT, 'examples', 'demo-account')], { now: () => '2026-01-01T00:00:00Z' })) {
    if (!isGap(item) && !isSkipped(item)) out.push(item);
  }
  for (const dir of readdirSync(join(ROOT, 'src', 'rules'))) {
    const cases = join(ROOT, 'src', 'rules', dir, 'cases');
    if (!existsSync(cases)) continue;
    for (const f of readdirSync(cases))
      out.push(snapshotOf(JSON.parse(readFileSync(join(cases, f), 'utf8')) as RuleCase));
  }
  if (existsSync(SHARED)) {
    for (const f of readdirSync(SHARED)) {
      const c = JSON.parse(readFileSync(join(SHARED, f), 'utf8'));
      out.push(snapshotOf({ about: c.id, account: c.account, keyPolicy: c.keyPolicy, grants: c.grants, expect: [] }));
    }
  }
  return out;
}

const all = await snapshots();

describe('findings prove themselves', () => {
  it('loads the demo account, the rule cases and the corpus', () => {
    expect(all.length).toBeGreaterThan(100);
  });

  it('every example request of a policy finding is allowed by the key policy and grants', () => {
    let checked = 0;
    for (const snapshot of all) {
      if (!snapshot.policy.ok) continue;
      const grants = snapshot.grants.ok ? snapshot.grants.value : [];
      for (const f of analyseKey(snapshot, TRUST).findings) {
        // separation-of-duties and lockout-risk examples show a capability or a refusal, not an exposure.
        if (!f.example || f.rule === 'separation-of-duties' || f.rule === 'lockout-risk') continue;
        const decision = decide(snapshot.account, snapshot.policy.value, grants, f.example).decision;
        expect(decision, `${f.rule} on ${snapshot.arn}: ${JSON.stringify(f.example)}`).toBe('allow');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('no fixed policy grants any principal an action the original did not', () => {
    let checked = 0;
    for (const snapshot of all) {
      if (!snapshot.policy.ok) continue;
      const before = analyseAccess({ account: snapshot.account, policy: snapshot.policy.value });
      const allowed = new Map(before.principals.map((p) => [p.principal, new Set(p.actions)]));
      for (const f of analyseKey(snapshot, TRUST).findings) {
        if (!f.remediation.fixedPolicy) continue;
        const parsed = parsePolicyValue(f.remediation.fixedPolicy);
        expect(parsed.ok, `${f.rule}: fixed policy does not parse`).toBe(true);
        if (!parsed.ok) continue;
        const after = analyseAccess({ account: snapshot.account, policy: parsed.policy });
        const rank = { internal: 0, 'cross-account': 1, public: 2, unknown: 3 };
        expect(rank[after.reach], `${f.rule} widened reach`).toBeLessThanOrEqual(rank[before.reach]);
        for (const p of after.principals) {
          for (const a of p.actions)
            expect(allowed.get(p.principal)?.has(a), `${f.rule} on ${snapshot.arn} gives ${p.principal} ${a}`).toBe(
              true,
            );
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
