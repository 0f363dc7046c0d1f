import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../src/findings/types';
import { KMS_ACTIONS } from '../../src/kms/actions';
import { RULES } from '../../src/rules/registry';

const RULES_DIR = join(import.meta.dirname, '..', '..', 'src', 'rules');
const folders = readdirSync(RULES_DIR).filter((f) => statSync(join(RULES_DIR, f)).isDirectory());
const kmsActions = new Set(KMS_ACTIONS.map((a) => a.action));

describe('rule registry', () => {
  it('lists every rule folder once, and only rule folders', () => {
    expect(RULES.map((r) => r.id).sort()).toEqual(folders.sort());
  });

  it.each(RULES.map((r) => [r.id, r] as const))(
    '%s declares its docs, severity, permissions and parameters',
    (id, rule) => {
      expect(folders).toContain(id);
      expect(SEVERITIES).toContain(rule.severity);
      expect(rule.title.length).toBeGreaterThan(5);
      for (const text of [rule.docs.what, rule.docs.why, rule.docs.fix]) expect(text.length).toBeGreaterThan(30);
      expect(rule.docs.references.length).toBeGreaterThan(0);
      for (const ref of rule.docs.references) expect(ref).toMatch(/^https:\/\//);
      expect(rule.permissions.length).toBeGreaterThan(0);
      for (const p of rule.permissions) expect(kmsActions, `${id} needs ${p}`).toContain(p);
      expect(() => rule.parameters.parse({})).not.toThrow();
      const cases = readdirSync(join(RULES_DIR, id, 'cases')).filter((f) => f.endsWith('.json'));
      expect(cases.length).toBeGreaterThanOrEqual(2);
    },
  );

  it('has the default severities of the key policy engine issue', () => {
    const severity = Object.fromEntries(RULES.map((r) => [r.id, r.severity]));
    expect(severity).toEqual({
      'public-key': 'critical',
      'endgame-exposure': 'critical',
      'untrusted-account-access': 'high',
      'external-grant': 'high',
      'external-create-grant': 'high',
      'wildcard-permissions': 'high',
      'lockout-risk': 'high',
      'policy-unreadable': 'high',
      'separation-of-duties': 'medium',
      'rotation-disabled': 'medium',
      'service-principal-unscoped': 'medium',
      'grant-hygiene': 'medium',
      'key-state': 'info',
      'admin-allowlist': 'high',
      'exempt-key': 'info',
    });
  });
});
