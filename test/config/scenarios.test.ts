/**
 * The eight scenarios of the well-known AWS Config sample, and the cases it gets wrong, judged end to end:
 * keywarden.yaml text -> options -> snapshot record -> compliance. Snapshots are keywarden.snapshot/v1 records
 * (each field as `aws kms ... --output json` prints it) in test/config/scenarios/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeyReport } from '../../src/findings/report';
import { config, DIR, judge, optionsFrom } from './helpers';

interface Scenario {
  name: string;
  file: string;
  config: 'baseline' | 'otter';
  status: 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';
  failed: string[];
  reason: RegExp;
}

const failing = (r: KeyReport) => [
  ...new Set(r.findings.filter((f) => !f.suppressed && f.severity !== 'info').map((f) => f.rule)),
];

const SAMPLE: Scenario[] = [
  {
    name: '1 disabled key: reported, not a failure',
    file: '1-disabled.json',
    config: 'baseline',
    status: 'COMPLIANT',
    failed: [],
    reason: /key disabled \(reported, not a failure\)/,
  },
  {
    name: '2 allowlisted key: compliant, naming the exemption',
    file: '2-allowlisted.json',
    config: 'baseline',
    status: 'COMPLIANT',
    failed: [],
    reason: /^exempted by exemptions\[0\] \(alias "Otter-\*" matches alias\/Otter-Payments\): Otter keys/,
  },
  {
    name: '3 kms:* to a role',
    file: '3-kms-star.json',
    config: 'baseline',
    status: 'NON_COMPLIANT',
    failed: ['separation-of-duties', 'wildcard-permissions'],
    reason: /^failed .*wildcard-permissions/,
  },
  {
    name: '4 no separation of duties',
    file: '4-no-separation.json',
    config: 'baseline',
    status: 'NON_COMPLIANT',
    failed: ['separation-of-duties'],
    reason: /^failed separation-of-duties$/,
  },
  {
    name: '5 separation of duties',
    file: '5-separation.json',
    config: 'baseline',
    status: 'COMPLIANT',
    failed: [],
    reason: /^no rule failed$/,
  },
  {
    name: '6 admin in the allowlist, with separation',
    file: '6-admin-allowed-with-separation.json',
    config: 'otter',
    status: 'COMPLIANT',
    failed: [],
    reason: /^no rule failed$/,
  },
  {
    name: '7 admin not in the allowlist',
    file: '7-admin-not-allowed.json',
    config: 'otter',
    status: 'NON_COMPLIANT',
    failed: ['admin-allowlist'],
    reason: /^failed admin-allowlist$/,
  },
  {
    name: '8 admin in the allowlist, without separation',
    file: '8-admin-allowed-without-separation.json',
    config: 'otter',
    status: 'NON_COMPLIANT',
    failed: ['separation-of-duties'],
    reason: /^failed separation-of-duties$/,
  },
];

const SAMPLE_GETS_WRONG: Scenario[] = [
  {
    name: 'NotAction gives every other action: wildcard, admin and use',
    file: 'extra-notaction.json',
    config: 'otter',
    status: 'NON_COMPLIANT',
    failed: ['admin-allowlist', 'separation-of-duties', 'wildcard-permissions'],
    reason: /^failed /,
  },
  {
    name: 'a single-object Statement is read, not crashed on',
    file: 'extra-single-statement.json',
    config: 'otter',
    status: 'COMPLIANT',
    failed: [],
    reason: /^no rule failed$/,
  },
  {
    name: 'a Deny that removes the overlap restores separation',
    file: 'extra-deny-removes-overlap.json',
    config: 'otter',
    status: 'COMPLIANT',
    failed: [],
    reason: /^no rule failed$/,
  },
  {
    name: 'mixed-case action names count',
    file: 'extra-mixed-case.json',
    config: 'otter',
    status: 'NON_COMPLIANT',
    failed: ['admin-allowlist', 'separation-of-duties'],
    reason: /^failed /,
  },
  {
    name: 'any of several aliases may match an exemption, ignoring case',
    file: 'extra-several-aliases.json',
    config: 'otter',
    status: 'COMPLIANT',
    failed: [],
    reason: /matches alias\/OTTER-archive/,
  },
  {
    name: 'an unreadable policy is NON_COMPLIANT, never a pass or a crash',
    file: 'extra-unreadable-policy.json',
    config: 'otter',
    status: 'NON_COMPLIANT',
    failed: ['policy-unreadable'],
    reason: /^could not be judged: Key policy could not be read/,
  },
];

describe.each([
  ['the eight scenarios of the sample', SAMPLE],
  ['the cases the sample gets wrong', SAMPLE_GETS_WRONG],
])('%s', (_title, scenarios) => {
  it.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const report = judge(s.file, config(s.config));
    expect(report.compliance.status).toBe(s.status);
    expect(report.compliance.reason).toMatch(s.reason);
    expect(failing(report).sort()).toEqual(s.failed);
  });
});

describe('an exempted key keeps its findings, suppressed by the exemption', () => {
  it('reports them with the exemption as the reason, so the run does not fail', () => {
    const report = judge('2-allowlisted.json', config('otter'));
    const others = report.findings.filter((f) => f.rule !== 'exempt-key');
    expect(others.map((f) => f.rule).sort()).toEqual([
      'admin-allowlist',
      'separation-of-duties',
      'wildcard-permissions',
    ]);
    for (const f of others) expect(f.suppressed?.reason).toMatch(/^exempted by exemptions\[0\]/);
  });
});

describe('disabled keys (keys.disabled)', () => {
  const base = readFileSync(join(DIR, 'baseline.keywarden.yaml'), 'utf8');
  it('report (default): the key-state finding is info and the key is judged by the other rules', () => {
    const report = judge('1-disabled.json', optionsFrom(base));
    expect(report.findings.map((f) => [f.rule, f.severity])).toEqual([['key-state', 'info']]);
  });
  it('fail: a disabled key is NON_COMPLIANT', () => {
    const report = judge('1-disabled.json', optionsFrom(`${base}keys:\n  disabled: fail\n`));
    expect(report.compliance).toEqual({ status: 'NON_COMPLIANT', reason: 'failed key-state' });
  });
  it('not-applicable: a disabled key is NOT_APPLICABLE', () => {
    const report = judge('1-disabled.json', optionsFrom(`${base}keys:\n  disabled: not-applicable\n`));
    expect(report.compliance.status).toBe('NOT_APPLICABLE');
    expect(report.compliance.reason).toMatch(/disabled/);
  });
  it('a severity override on key-state makes disabled keys fail too', () => {
    const report = judge('1-disabled.json', optionsFrom(`${base}rules:\n  key-state:\n    severity: high\n`));
    expect(report.compliance.status).toBe('NON_COMPLIANT');
  });
});

describe('existing rules take parameters and severity overrides from keywarden.yaml', () => {
  it('overrides a severity', () => {
    const report = judge(
      '4-no-separation.json',
      optionsFrom('rules:\n  separation-of-duties:\n    severity: critical\n'),
    );
    expect(report.findings.map((f) => [f.rule, f.severity])).toEqual([['separation-of-duties', 'critical']]);
  });
  it('turns a rule off', () => {
    const report = judge('4-no-separation.json', optionsFrom('rules:\n  separation-of-duties:\n    enabled: false\n'));
    expect(report.compliance).toEqual({ status: 'COMPLIANT', reason: 'no rule failed' });
  });
  it('passes administrators given as rule params', () => {
    const report = judge(
      '7-admin-not-allowed.json',
      optionsFrom(
        'rules:\n  admin-allowlist:\n    params:\n      administrators: ["arn:aws:iam::111122223333:role/DevOps"]\n',
      ),
    );
    expect(report.compliance.status).toBe('COMPLIANT');
  });
});
