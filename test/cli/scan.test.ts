import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keywarden } from './run';

interface JsonReport {
  format: string;
  keys: Array<{
    arn: string;
    aliases: string[];
    reach: string;
    findings: Array<{ rule: string; status: string; id: string; evidence: { file?: string; line?: number } }>;
    compliance: { status: string };
  }>;
  gaps: Array<{ file?: string; reason: string; line?: number }>;
}

const scanJson = (args: string[]) => {
  const r = keywarden(['scan', ...args, '--format', 'json']);
  return { ...r, report: JSON.parse(r.stdout) as JsonReport };
};

const byAlias = (report: JsonReport, alias: string) => report.keys.find((k) => k.aliases.includes(alias))!;
const rules = (report: JsonReport, alias: string) =>
  byAlias(report, alias)
    .findings.map((f) => f.rule)
    .sort();

describe('keywarden scan on the demo account', () => {
  const { status, report, stderr } = scanJson(['examples/demo-account']);

  it('exits 1 (findings at or above high) and reads every key', () => {
    expect(stderr).toBe('');
    expect(status).toBe(1);
    expect(report.format).toBe('keywarden.report/v1');
    expect(report.keys).toHaveLength(14);
    expect(report.gaps).toEqual([]);
  });

  it('shows the public, cross-account, grant, separation-of-duties and unreadable keys', () => {
    expect(byAlias(report, 'alias/legacy-secrets').reach).toBe('public');
    expect(rules(report, 'alias/legacy-secrets')).toEqual(['public-key']);
    expect(rules(report, 'alias/partner-feed')).toEqual([
      'external-create-grant',
      'rotation-disabled',
      'untrusted-account-access',
    ]);
    expect(rules(report, 'alias/exports')).toEqual(['external-grant', 'grant-hygiene', 'grant-hygiene']);
    expect(rules(report, 'alias/ops')).toEqual(['separation-of-duties']);
    expect(rules(report, 'alias/payments')).toContain('endgame-exposure');
    const hr = byAlias(report, 'alias/hr-records');
    expect(hr.reach).toBe('unknown');
    expect(hr.findings.map((f) => [f.rule, f.status])).toEqual([['policy-unreadable', 'unknown']]);
    expect(hr.compliance.status).toBe('NON_COMPLIANT');
  });

  it('reports nothing for the clean keys', () => {
    for (const alias of ['alias/orders', 'alias/invoices-api', 'alias/backups', 'alias/aws/ebs', 'alias/data-lake']) {
      expect(byAlias(report, alias).findings, alias).toEqual([]);
      expect(byAlias(report, alias).compliance.status).toBe('COMPLIANT');
    }
    expect(byAlias(report, 'alias/data-lake').reach).toBe('internal');
  });

  it('prints a table by default', () => {
    const r = keywarden(['scan', 'examples/demo-account']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('PUBLIC');
    expect(r.stdout).toContain('public-key');
    expect(r.stdout).toMatch(/Total: 14 keys/);
  });

  it('--fail-on none exits 0; trusting the partner removes its findings', () => {
    expect(keywarden(['scan', 'examples/demo-account', '--fail-on', 'none', '-q']).status).toBe(0);
    const trusted = scanJson([
      'examples/demo-account',
      '--trusted-account',
      '444455556666',
      '--trusted-org',
      'o-a1b2c3d4e5',
    ]).report;
    expect(rules(trusted, 'alias/partner-feed')).toEqual(['external-create-grant', 'rotation-disabled']);
    expect(rules(trusted, 'alias/shared-artifacts')).toEqual([]);
  });

  it('writes SARIF to a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-'));
    const out = join(dir, 'r.sarif');
    const r = keywarden(['scan', 'examples/demo-account', '--format', 'sarif', '--output', out]);
    expect(r.status).toBe(1);
    const sarif = JSON.parse(readFileSync(out, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBeGreaterThan(10);
    expect(r.stderr).toContain('report written to');
  });
});

describe('bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kw-bad-'));
  const good = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }],
  };
  writeFileSync(join(dir, 'a-good.json'), JSON.stringify(good, null, 2));
  writeFileSync(
    join(dir, 'b-malformed.json'),
    '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",,}\n  ]\n}\n',
  );
  writeFileSync(
    join(dir, 'c-wrong-type.json'),
    JSON.stringify(
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 5, Resource: '*' }] },
      null,
      2,
    ),
  );
  writeFileSync(
    join(dir, 'd-unknown-operator.json'),
    JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: { StringSortOf: { 'aws:SourceIp': 'x' } },
          },
        ],
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(dir, 'e-invalid-utf8.json'),
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  );
  writeFileSync(join(dir, 'f-other.json'), JSON.stringify({ hello: 'world' }));
  writeFileSync(join(dir, 'g-deep.json'), `${'['.repeat(10000)}${']'.repeat(10000)}`);
  writeFileSync(
    join(dir, 'h-unknown-effect.json'),
    JSON.stringify({
      Version: '2012-10-17',
      Statement: { Effect: 'Maybe', Principal: '*', Action: 'kms:*', Resource: '*' },
    }),
  );
  writeFileSync(join(dir, 'README.md'), '# not an input');

  const r = keywarden(['scan', dir, '--account', '111122223333', '--format', 'json']);
  const report = JSON.parse(r.stdout) as JsonReport;

  it('exits 2, still analyses the good file, and never prints a stack trace', () => {
    expect(r.status).toBe(2);
    expect(report.keys.map((k) => k.arn)).toEqual(['arn:aws:kms:unknown:111122223333:key/a-good']);
    expect(report.keys[0]!.findings.map((f) => f.rule)).toContain('public-key');
    expect(r.stderr).not.toMatch(/\n\s+at .*\(/);
  });

  it('names file and location of every bad input', () => {
    const gap = (name: string) => report.gaps.find((g) => g.file?.endsWith(name));
    expect(gap('b-malformed.json')).toMatchObject({ line: 4 });
    expect(gap('b-malformed.json')!.reason).toMatch(/JSON/);
    expect(gap('c-wrong-type.json')!.reason).toMatch(/Action/);
    expect(JSON.stringify(gap('c-wrong-type.json'))).toContain('/Statement/0/Action');
    expect(JSON.stringify(gap('d-unknown-operator.json'))).toContain('StringSortOf');
    expect(gap('e-invalid-utf8.json')!.reason).toMatch(/UTF-8/);
    expect(gap('h-unknown-effect.json')!.reason).toMatch(/Effect/);
    expect(report.gaps).toHaveLength(5);
    expect(r.stderr).toContain('b-malformed.json:4');
  });

  it('lists a JSON file that is no known input as skipped, not an error', () => {
    expect(r.stderr).toMatch(/skipped .*f-other\.json/);
    expect(r.stderr).toMatch(/skipped .*g-deep\.json/);
  });

  it('asks for --account when a bare policy names no account', () => {
    const only = keywarden(['scan', join(dir, 'a-good.json'), '--format', 'json']);
    expect(only.status).toBe(2);
    expect(only.stderr).toContain('--account');
  });

  it('exits 2 on a usage error', () => {
    expect(keywarden(['scan', 'examples/demo-account', '--fail-on', 'severe']).status).toBe(2);
    expect(keywarden(['scan', 'no/such/path', '-q']).status).toBe(2);
    expect(keywarden(['frobnicate']).status).toBe(2);
  });
});

describe('keywarden explain', () => {
  it('says what the account-root statement really grants', () => {
    const r = keywarden(['explain', 'examples/demo-account/console-default.json']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('What the account-root statement grants');
    expect(r.stdout).toContain('bilateral');
    expect(r.stdout).toContain('arn:aws:iam::111122223333:role/OrdersService');
    expect(r.stdout).toMatch(/Who can change the key policy[^\n]*:\n\s+- every principal of this account/);
  });

  it('explains a public key', () => {
    const r = keywarden(['explain', 'examples/demo-account/public-decrypt.json']);
    expect(r.stdout).toContain('Reach: PUBLIC');
    expect(r.stdout).toContain('ANYONE');
  });
});
