/**
 * Runs a rule's JSON cases (src/rules/<id>/cases/*.json): each case is a key (policy, grants, metadata, rotation)
 * and the exact findings this rule must report on it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { known, NOT_CARRIED, unknown } from '../../src/kms/known';
import type { Grant, KeyMetadata, KeySnapshot } from '../../src/kms/snapshot';
import { parsePolicyValue } from '../../src/policy';
import { analyseSnapshot, NO_TRUST, toFinding } from '../../src/rules/engine';
import type { Rule, Trusted } from '../../src/rules/rule';

export interface RuleCase {
  about: string;
  account: string;
  keyPolicy?: unknown;
  policyError?: string;
  grants?: Grant[];
  grantsError?: string;
  metadata?: Partial<KeyMetadata>;
  rotation?: boolean;
  rotationError?: string;
  trusted?: Partial<Trusted>;
  params?: Record<string, unknown>;
  expect: Array<{ sid?: string; principal?: string; status?: 'fail' | 'unknown'; pointer?: string }>;
}

export function snapshotOf(c: RuleCase): KeySnapshot {
  const arn = `arn:aws:kms:eu-west-1:${c.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  let policy: KeySnapshot['policy'] = unknown(NOT_CARRIED);
  if (c.policyError) policy = unknown(c.policyError);
  else if (c.keyPolicy !== undefined) {
    const parsed = parsePolicyValue(c.keyPolicy);
    if (!parsed.ok) throw new Error(`case "${c.about}": policy rejected: ${parsed.errors[0]?.message}`);
    policy = known(parsed.policy);
  }
  return {
    arn,
    account: c.account,
    region: 'eu-west-1',
    metadata: c.metadata
      ? known({ KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab', Arn: arn, ...c.metadata } as KeyMetadata)
      : unknown(NOT_CARRIED),
    aliases: known([]),
    tags: known({}),
    policy,
    grants: c.grantsError ? unknown(c.grantsError) : c.grants ? known(c.grants) : unknown(NOT_CARRIED),
    rotation: c.rotationError
      ? unknown(c.rotationError)
      : c.rotation === undefined
        ? unknown(NOT_CARRIED)
        : known(c.rotation),
    collectedAt: '2026-01-01T00:00:00.000Z',
    origin: { kind: 'file', file: 'case.json' },
  };
}

export function runRuleCases(rule: Rule, folder: string): void {
  const dir = join(folder, 'cases');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  describe(`rule ${rule.id}`, () => {
    it('has cases that flag and cases that pass', () => {
      const cases = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RuleCase);
      expect(cases.some((c) => c.expect.length > 0)).toBe(true);
      expect(cases.some((c) => c.expect.length === 0)).toBe(true);
    });
    for (const file of files) {
      const c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as RuleCase;
      it(`${file}: ${c.about}`, () => {
        const key = analyseSnapshot(snapshotOf(c));
        const trusted = { ...NO_TRUST, ...c.trusted };
        const drafts = rule.check(key, { trusted, params: rule.parameters.parse(c.params ?? {}) });
        const findings = drafts.map((d) => toFinding(rule, rule.severity, key, d));
        const got = findings.map((f) => ({
          ...(f.evidence.sid !== undefined ? { sid: f.evidence.sid } : {}),
          ...(f.principal !== undefined ? { principal: f.principal } : {}),
          status: f.status,
        }));
        const want = c.expect.map((e) => ({
          ...(e.sid !== undefined ? { sid: e.sid } : {}),
          ...(e.principal !== undefined ? { principal: e.principal } : {}),
          status: e.status ?? 'fail',
        }));
        expect(got).toEqual(want);
        for (const f of findings) {
          expect(f.title.length).toBeGreaterThan(0);
          expect(f.explanation.length).toBeGreaterThan(20);
          expect(f.remediation.summary.length).toBeGreaterThan(10);
          expect(f.id).toMatch(/^KW-[0-9a-f]{20}$/);
        }
      });
    }
  });
}
