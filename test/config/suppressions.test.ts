/** Suppressions of keywarden.yaml with an injected clock: active, expired (reported), by id or rule + resource. */
import { describe, expect, it } from 'vitest';
import { judge, optionsFrom } from './helpers';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/5ce7a610-0000-4000-8000-000000000004';

const suppress = (lines: string) => `suppressions:\n${lines}`;
const byRule = suppress(
  [
    '  - rule: separation-of-duties',
    '    resource: "arn:aws:kms:*:111122223333:key/5CE7A610-*-000000000004"',
    '    reason: the ops role is being split in ticket OPS-1234',
    '    owner: platform-team@example.com',
    '    expires: 2026-12-31',
    '',
  ].join('\n'),
);

describe('a suppression by rule and resource glob', () => {
  it('suppresses until the end of its expiry day (UTC), and the key is COMPLIANT meanwhile', () => {
    const report = judge('4-no-separation.json', optionsFrom(byRule, new Date('2026-12-31T23:59:59Z')));
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]!.suppressed).toEqual({
      reason: 'the ops role is being split in ticket OPS-1234',
      owner: 'platform-team@example.com',
      expires: '2027-01-01T00:00:00.000Z',
    });
    expect(report.compliance).toEqual({ status: 'COMPLIANT', reason: 'no rule failed; 1 finding(s) suppressed' });
  });

  it('stops suppressing once expired, and is itself reported as suppression-expired', () => {
    const report = judge('4-no-separation.json', optionsFrom(byRule, new Date('2027-01-01T00:00:00Z')));
    const rules = report.findings.map((f) => [f.rule, f.severity, f.suppressed === undefined]);
    expect(rules).toEqual([
      ['separation-of-duties', 'medium', true],
      ['suppression-expired', 'low', true],
    ]);
    const expired = report.findings[1]!;
    expect(expired.resource).toBe(KEY);
    expect(expired.title).toBe('Suppression suppressions[0] expired on 2026-12-31');
    expect(expired.explanation).toContain('platform-team@example.com');
    expect(expired.explanation).toContain('separation-of-duties');
    expect(report.compliance).toEqual({
      status: 'NON_COMPLIANT',
      reason: 'failed separation-of-duties, suppression-expired',
    });
  });

  it('does not match another key', () => {
    const report = judge('3-kms-star.json', optionsFrom(byRule, new Date('2026-06-01T00:00:00Z')));
    expect(report.findings.every((f) => f.suppressed === undefined)).toBe(true);
    expect(report.findings.some((f) => f.rule === 'suppression-expired')).toBe(false);
  });

  it('takes the severity of suppression-expired from keywarden.yaml', () => {
    const text = `${byRule}rules:\n  suppression-expired:\n    severity: high\n`;
    const report = judge('4-no-separation.json', optionsFrom(text, new Date('2027-02-01T00:00:00Z')));
    expect(report.findings.find((f) => f.rule === 'suppression-expired')?.severity).toBe('high');
  });
});

describe('a suppression by finding id', () => {
  it('hides exactly that finding', () => {
    const first = judge('3-kms-star.json', optionsFrom(''));
    const target = first.findings.find((f) => f.rule === 'wildcard-permissions')!;
    const text = suppress(
      `  - id: ${target.id}\n    reason: accepted\n    owner: alice@example.com\n    expires: 2030-01-01T12:00:00Z\n`,
    );
    const report = judge('3-kms-star.json', optionsFrom(text, new Date('2029-12-31T00:00:00Z')));
    expect(report.findings.filter((f) => f.suppressed).map((f) => f.id)).toEqual([target.id]);
    expect(report.compliance).toEqual({ status: 'NON_COMPLIANT', reason: 'failed separation-of-duties' });
  });

  it('an expired and an active suppression of the same finding: the active one wins, nothing is reported', () => {
    const text = suppress(
      [
        '  - rule: separation-of-duties',
        '    reason: old',
        '    owner: a@example.com',
        '    expires: 2025-01-01',
        '  - rule: separation-of-duties',
        '    reason: renewed',
        '    owner: a@example.com',
        '    expires: 2027-01-01',
        '',
      ].join('\n'),
    );
    const report = judge('4-no-separation.json', optionsFrom(text, new Date('2026-06-01T00:00:00Z')));
    expect(report.findings.map((f) => [f.rule, f.suppressed?.reason])).toEqual([['separation-of-duties', 'renewed']]);
  });
});

describe('unknown data stays NON_COMPLIANT', () => {
  it('even when the policy-unreadable finding is suppressed', () => {
    const text = suppress(
      '  - rule: policy-unreadable\n    reason: we cannot read it\n    owner: a@example.com\n    expires: 2030-01-01\n',
    );
    const report = judge('extra-unreadable-policy.json', optionsFrom(text, new Date('2026-06-01T00:00:00Z')));
    expect(report.findings[0]!.suppressed).toBeDefined();
    expect(report.compliance.status).toBe('NON_COMPLIANT');
  });
});
