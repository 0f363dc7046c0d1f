/**
 * `keywarden scan` over templates, end to end through the built CLI: a folder of templates, snapshots and policies;
 * template parameters; SARIF landing on the statement's line; baseline and inline suppressions for CI.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keywarden } from '../cli/run';
import { sarifValidator } from '../sinks/helpers/schemas';
import { EXAMPLES, ROOT } from './helpers';

interface ReportFinding {
  id: string;
  rule: string;
  resource: string;
  evidence: { file?: string; line?: number };
  suppressed?: { reason: string };
}
interface Report {
  keys: Array<{
    account: string;
    origin: { kind: string; logicalId?: string; file?: string };
    findings: ReportFinding[];
    compliance: { status: string };
  }>;
  gaps: Array<{ file?: string; line?: number; reason: string }>;
}

const json = (stdout: string): Report => JSON.parse(stdout) as Report;
const tempDir = () => mkdtempSync(join(tmpdir(), 'kw-iac-'));
const findings = (report: Report) => report.keys.flatMap((k) => k.findings);

describe('scan: a folder of templates, snapshots and policies', () => {
  it('reads every template by content next to snapshots and policies; a broken template is a located gap (exit 2)', () => {
    const dir = tempDir();
    copyFileSync(join(EXAMPLES, 'sam-app.yaml'), join(dir, 'app.yaml'));
    copyFileSync(join(EXAMPLES, 'kms.tf'), join(dir, 'kms.tf'));
    copyFileSync(join(ROOT, 'examples/demo-account/partner-decrypt.json'), join(dir, 'snapshot.json'));
    writeFileSync(join(dir, 'stack.template'), readFileSync(join(EXAMPLES, 'public-key.yaml')));
    writeFileSync(
      join(dir, 'broken.yaml'),
      'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Key: {Type: AWS::KMS::Key\n',
    );
    const r = keywarden(['scan', '.', '-f', 'json', '--parameter', 'PartnerAccount=444455556666'], { cwd: dir });
    expect(r.status).toBe(2);
    const report = json(r.stdout);
    const origins = report.keys.map((k) => `${k.origin.kind}:${k.origin.logicalId ?? k.origin.file}`).sort();
    expect(origins).toEqual([
      'file:snapshot.json',
      'template:OrdersKey',
      'template:SharedKey',
      'template:aws_kms_key.exports',
    ]);
    expect(report.gaps).toEqual([expect.objectContaining({ file: 'broken.yaml', line: expect.any(Number) })]);
    const shared = report.keys.find((k) => k.origin.logicalId === 'SharedKey');
    expect(shared?.origin.file).toBe('stack.template');
    expect(shared?.findings.map((f) => f.rule).sort()).toEqual(['public-key', 'untrusted-account-access']);
  });

  it('--parameters-file in both shapes, --parameter wins over it, --template-account names the account', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'list.json'),
      JSON.stringify([{ ParameterKey: 'PartnerAccount', ParameterValue: '444455556666' }]),
    );
    writeFileSync(join(dir, 'map.json'), JSON.stringify({ Parameters: { PartnerAccount: '777788889999' } }));
    const template = join(EXAMPLES, 'public-key.yaml');
    const partner = (args: string[]) => {
      const r = keywarden(['scan', template, '-f', 'json', ...args]);
      expect(r.status).toBe(1);
      const report = json(r.stdout);
      const f = findings(report).find((x) => x.rule === 'untrusted-account-access') as ReportFinding & {
        title: string;
      };
      return { title: f.title, account: report.keys[0]?.account };
    };
    expect(partner(['--parameters-file', join(dir, 'list.json')]).title).toContain('444455556666');
    expect(partner(['--parameters-file', join(dir, 'map.json')]).title).toContain('777788889999');
    expect(
      partner(['--parameters-file', join(dir, 'map.json'), '--parameter', 'PartnerAccount=121212121212']).title,
    ).toContain('121212121212');
    const named = partner(['--parameter', 'PartnerAccount=444455556666', '--template-account', '111122223333']);
    expect(named.account).toBe('111122223333');
  });

  it('bad template options are usage errors (exit 2) with what to fix', () => {
    const missing = keywarden(['scan', join(EXAMPLES, 'public-key.yaml'), '--parameters-file', 'nope.json']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--parameters-file nope.json: no such file');
    const bad = keywarden(['scan', join(EXAMPLES, 'public-key.yaml'), '--parameter', 'PartnerAccount']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('expected Key=Value');
    const account = keywarden(['scan', join(EXAMPLES, 'public-key.yaml'), '--template-account', '12345']);
    expect(account.status).toBe(2);
    expect(account.stderr).toContain('not a 12-digit AWS account id');
  });
});

describe('scan --format sarif of a template', () => {
  it('validates against SARIF 2.1.0 and each result lands on its statement line', () => {
    const r = keywarden([
      'scan',
      'examples/templates/public-key.yaml',
      '--parameters-file',
      'examples/templates/parameters.json',
      '--format',
      'sarif',
    ]);
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const lines = readFileSync(join(EXAMPLES, 'public-key.yaml'), 'utf8').split('\n');
    const results = log.runs[0].results as Array<{
      ruleId: string;
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
    }>;
    const where = Object.fromEntries(results.map((x) => [x.ruleId, x.locations[0]?.physicalLocation]));
    expect(where['public-key']?.artifactLocation.uri).toBe('examples/templates/public-key.yaml');
    expect(lines[(where['public-key']?.region.startLine ?? 0) - 1]).toContain('Sid: AllowDecryptFromAnywhere');
    expect(lines[(where['untrusted-account-access']?.region.startLine ?? 0) - 1]).toContain('Sid: AllowPartnerUse');
  });
});

describe('CI: baseline and inline suppressions', () => {
  const partnerStatement = (sid: string, account: string) => `          - Sid: ${sid}
            Effect: Allow
            Principal:
              AWS: arn:aws:iam::${account}:root
            Action: kms:Decrypt
            Resource: "*"
`;

  it('a pull request fails only on new findings; ids survive moved lines', () => {
    const dir = tempDir();
    const original = readFileSync(join(EXAMPLES, 'public-key.yaml'), 'utf8');
    writeFileSync(join(dir, 'key.yaml'), original);
    const args = ['scan', 'key.yaml', '--parameter', 'PartnerAccount=444455556666', '-f', 'json'];
    const first = keywarden([...args, '--write-baseline', 'baseline.json'], { cwd: dir });
    expect(first.status).toBe(1);
    const baseline = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8'));
    expect(baseline.format).toBe('keywarden.baseline/v1');
    expect(baseline.findings.map((f: { rule: string }) => f.rule).sort()).toEqual([
      'public-key',
      'untrusted-account-access',
    ]);

    const same = keywarden([...args, '--baseline', 'baseline.json'], { cwd: dir });
    expect(same.status).toBe(0);
    expect(
      findings(json(same.stdout)).every((f) => f.suppressed?.reason.startsWith('in the baseline baseline.json')),
    ).toBe(true);
    expect(same.stderr).toContain('0 new finding(s), 2 already accepted, 0 gone since');

    // Comments and blank lines above move every statement: the finding ids do not change.
    writeFileSync(join(dir, 'key.yaml'), `# reviewed\n\n${original}`);
    const moved = keywarden([...args, '--baseline', 'baseline.json'], { cwd: dir });
    expect(moved.status).toBe(0);

    writeFileSync(join(dir, 'key.yaml'), `${original}${partnerStatement('AllowAuditor', '999988887777')}`);
    const added = keywarden([...args, '--baseline', 'baseline.json'], { cwd: dir });
    expect(added.status).toBe(1);
    expect(added.stderr).toContain('1 new finding(s), 2 already accepted');
    expect(added.stderr).toMatch(/new: \[high\] untrusted-account-access SharedKey \(key\.yaml:\d+\): .*999988887777/);
    const fresh = findings(json(added.stdout)).filter((f) => !f.suppressed);
    expect(fresh.map((f) => f.rule)).toEqual(['untrusted-account-access']);
  });

  it('a baseline that is not one is a usage error', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'b.json'), '{"findings": []}');
    const r = keywarden(['scan', join(EXAMPLES, 'sam-app.yaml'), '--baseline', join(dir, 'b.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a keywarden baseline');
  });

  it('inline suppressions mark findings suppressed: reported, not failing, compliance judged without them', () => {
    const r = keywarden(['scan', 'examples/templates/suppressed.yaml', '-f', 'json', '--fail-on', 'low']);
    expect(r.status).toBe(0);
    const report = json(r.stdout);
    const all = findings(report);
    expect(all.map((f) => [f.resource, f.rule])).toEqual([
      ['ArchiveKey', 'rotation-disabled'],
      ['BackupKey', 'untrusted-account-access'],
    ]);
    expect(all[0]?.suppressed?.reason).toContain('Metadata.keywarden.suppress in examples/templates/suppressed.yaml');
    expect(all[0]?.evidence.line).toBe(6);
    expect(all[1]?.suppressed?.reason).toContain('# keywarden:suppress');
    expect(report.keys.map((k) => k.compliance.status)).toEqual(['COMPLIANT', 'COMPLIANT']);
  });
});

describe('explain a template', () => {
  it('tells how the Lambda function gets permission to use the key, and what the root statement means', () => {
    const r = keywarden(['explain', 'examples/templates/sam-app.yaml']);
    expect(r.status).toBe(0);
    const text = r.stdout;
    expect(text).toContain('Key OrdersKey (alias/orders-prod) (sam-app.yaml:12)');
    expect(text).toMatch(
      /- function ReadOrdersFunction \(its role ReadOrdersFunctionRole\): kms:Decrypt\n\s+key policy statement "Enable IAM User Permissions" \(sam-app\.yaml:20\) lets IAM decide \(it names the account root\)\n\s+and SAM policy template KMSDecryptPolicy of function ReadOrdersFunction \(sam-app\.yaml:72\) allows it/,
    );
    expect(text).toMatch(
      /- role ReportRole: kms:Encrypt, kms:GenerateDataKey\n.*\n\s+and inline policy encrypt-exports of role ReportRole/,
    );
    expect(text).toMatch(
      /who can administer the key:\n\s+- role orders-key-admin-prod: .*\n\s+key policy statement "Allow key administration" \(sam-app\.yaml:26\) names it/,
    );
    expect(text).toContain('names the account root. That is not the root user alone: it lets IAM decide.');
    expect(text).toContain('AWS managed policy AWSLambdaBasicExecutionRole');
  });

  it('--format json gives the same answer as data', () => {
    const r = keywarden(['explain', 'examples/templates/sam-app.yaml', '--format', 'json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const principals = out.keys[0].access.principals as Array<{
      label: string;
      access: Record<string, { actions: string[] }>;
    }>;
    expect(principals.find((p) => p.label.startsWith('function ReadOrdersFunction'))?.access.use?.actions).toEqual([
      'kms:Decrypt',
    ]);
  });
});
