import { describe, expect, it } from 'vitest';
import type { KeyReport } from '../../../src/findings/report';
import { createFormatSink, type RuleDoc } from '../../../src/sinks/format/index';
import { artifactLocation, FINGERPRINT_KEY, SOURCE_ROOT_ID, toSarifLog } from '../../../src/sinks/format/sarif';
import { ruleName, sarifLevel } from '../../../src/sinks/format/sarif-rules';
import type { SarifLog, SarifResult } from '../../../src/sinks/format/sarif-types';
import { loadGaps, loadReports } from '../fixtures/load';
import { CaptureStream } from '../helpers/capture';
import { sarifValidator } from '../helpers/schemas';

const tool = { name: 'keywarden', version: '0.1.0', informationUri: 'https://github.com/keywarden/keywarden' };

const docs: RuleDoc[] = [
  {
    id: 'public-key',
    title: 'Key usable by anyone',
    severity: 'critical',
    docs: {
      why: 'A "*" principal without a pinning condition lets every AWS account use the key.',
      fix: 'Remove the statement or pin it with aws:PrincipalOrgID.',
      references: ['https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html'],
    },
  },
  {
    id: 'rotation-disabled',
    title: 'Automatic rotation is off',
    severity: 'medium',
    docs: { why: 'Key material is never rotated.', fix: 'Enable rotation.', references: [] },
  },
  {
    id: 'key-state',
    title: 'Key disabled or pending deletion',
    severity: 'info',
    docs: { why: 'The key cannot be used.', fix: 'Enable it or cancel deletion.', references: ['AWS KMS key states'] },
  },
];

async function produce(reports: KeyReport[], sourceRoot?: string): Promise<SarifLog> {
  const out = new CaptureStream();
  const sink = createFormatSink('sarif', out, { tool, rules: docs, sourceRoot });
  for (const report of reports) await sink.write(report);
  for (const gap of loadGaps()) await sink.gap(gap);
  await sink.close();
  return JSON.parse(out.text) as SarifLog;
}

const results = (log: SarifLog): SarifResult[] => log.runs[0]!.results ?? [];
const byRule = (log: SarifLog, rule: string) => results(log).find((r) => r.ruleId === rule)!;

describe('sarif format', () => {
  it('validates against the SARIF 2.1.0 schema', async () => {
    const validate = sarifValidator();
    const log = await produce(loadReports());
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(log.version).toBe('2.1.0');
  });

  it('the schema check is real: a broken log fails it', async () => {
    const validate = sarifValidator();
    const log = await produce(loadReports());
    const broken = structuredClone(log);
    Object.assign(results(broken)[0]!, { level: 'critical' });
    expect(validate(broken)).toBe(false);
    const noMessage = structuredClone(log);
    delete (results(noMessage)[0] as Partial<SarifResult>).message;
    expect(validate(noMessage)).toBe(false);
  });

  it('has one rule per rule id, documented from the rule docs, with levels from severities', async () => {
    const log = await produce(loadReports());
    const rules = log.runs[0]!.tool.driver.rules!;
    const ids = rules.map((r) => r.id);
    expect(ids).toEqual([...new Set(ids)].sort());
    expect(ids).toEqual([
      'external-grant',
      'key-state',
      'policy-unreadable',
      'public-key',
      'rotation-disabled',
      'separation-of-duties',
      'untrusted-account-access',
    ]);
    const publicKey = rules.find((r) => r.id === 'public-key')!;
    expect(publicKey.name).toBe('PublicKey');
    expect(publicKey.shortDescription?.text).toBe('Key usable by anyone');
    expect(publicKey.fullDescription?.text).toContain('every AWS account');
    expect(publicKey.help?.text).toContain('How to fix: Remove the statement');
    expect(publicKey.helpUri).toBe('https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html');
    expect(publicKey.defaultConfiguration?.level).toBe('error');
    expect(publicKey.properties?.['security-severity']).toBe('9.5');
    expect(rules.find((r) => r.id === 'rotation-disabled')!.defaultConfiguration?.level).toBe('warning');
    const keyState = rules.find((r) => r.id === 'key-state')!;
    expect(keyState.defaultConfiguration?.level).toBe('note');
    expect(keyState.helpUri).toBeUndefined();
    // undocumented rules still get a descriptor, so every result's rule exists
    expect(rules.find((r) => r.id === 'external-grant')!.defaultConfiguration?.level).toBe('error');
    for (const result of results(log)) expect(rules[result.ruleIndex!]!.id).toBe(result.ruleId);
  });

  it('maps severities to levels: critical/high error, medium warning, low/info note', () => {
    expect(['critical', 'high', 'medium', 'low', 'info'].map((s) => sarifLevel(s as never))).toEqual([
      'error',
      'error',
      'warning',
      'note',
      'note',
    ]);
    expect(ruleName('service-principal-unscoped')).toBe('ServicePrincipalUnscoped');
  });

  it('locates findings with a file physically (line, column) and always logically at the key', async () => {
    const log = await produce(loadReports());
    const publicKey = byRule(log, 'public-key');
    expect(publicKey.level).toBe('error');
    expect(publicKey.locations![0]!.physicalLocation).toMatchObject({
      artifactLocation: { uri: 'examples/demo-account/reports-public.json', uriBaseId: SOURCE_ROOT_ID },
      region: { startLine: 14, startColumn: 7 },
    });
    expect(publicKey.locations![0]!.logicalLocations).toEqual([
      {
        fullyQualifiedName: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        kind: 'resource',
      },
    ]);
    const rotation = byRule(log, 'rotation-disabled');
    expect(rotation.locations![0]!.physicalLocation?.region).toBeUndefined();
    expect(rotation.level).toBe('warning');
  });

  it('locates findings without a file at the key ARN, with the JSON pointer in properties', async () => {
    const log = await produce(loadReports());
    const unreadable = byRule(log, 'policy-unreadable');
    expect(unreadable.locations![0]!.physicalLocation).toBeUndefined();
    expect(unreadable.locations![0]!.logicalLocations![0]!.fullyQualifiedName).toBe(
      'arn:aws:kms:us-east-1:111122223333:key/5555eeee-66ff-77aa-88bb-99cc00dd11ee',
    );
    expect(unreadable.properties).toMatchObject({ pointer: '/GetKeyPolicy', status: 'unknown', severity: 'high' });
  });

  it('fingerprints every result with the finding id and marks suppressed findings', async () => {
    const log = await produce(loadReports());
    const ids = loadReports().flatMap((r) => r.findings.map((f) => f.id));
    expect(
      results(log)
        .map((r) => r.partialFingerprints?.[FINGERPRINT_KEY])
        .sort(),
    ).toEqual(ids.sort());
    const suppressed = byRule(log, 'separation-of-duties');
    expect(suppressed.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'Break-glass role, reviewed quarterly',
        properties: { owner: 'security-team', expires: '2026-12-31' },
      },
    ]);
    expect(byRule(log, 'public-key').suppressions).toBeUndefined();
    expect(byRule(log, 'public-key').message.text).toContain(
      'Example: arn:aws:iam::999988887777:user/outsider can call kms:Decrypt',
    );
  });

  it('reports gaps as tool execution notifications', async () => {
    const log = await produce(loadReports());
    const notifications = log.runs[0]!.invocations![0]!.toolExecutionNotifications!;
    expect(notifications).toHaveLength(3);
    const broken = notifications.find((n) => n.locations)!;
    expect(broken.level).toBe('error');
    expect(broken.locations![0]!.physicalLocation?.region).toEqual({ startLine: 3, startColumn: 15 });
    expect(broken.message.text).toContain('Unexpected token');
  });

  it('writes absolute paths relative to the source root, and others as file URIs', async () => {
    expect(artifactLocation('/repo/templates/my key.yaml', '/repo')).toEqual({
      uri: 'templates/my%20key.yaml',
      uriBaseId: SOURCE_ROOT_ID,
    });
    expect(artifactLocation('/elsewhere/key.json', '/repo')).toEqual({ uri: 'file:///elsewhere/key.json' });
    const reports = loadReports();
    reports[0]!.findings[1]!.evidence.file = '/repo/examples/demo-account/reports-public.json';
    const log = toSarifLog(reports, [], { tool, sourceRoot: '/repo' });
    expect(byRule(log, 'public-key').locations![0]!.physicalLocation!.artifactLocation!.uri).toBe(
      'examples/demo-account/reports-public.json',
    );
    expect(sarifValidator()(log)).toBe(true);
  });

  it('an empty run is a valid log with the rules and no results', async () => {
    const validate = sarifValidator();
    const out = new CaptureStream();
    const sink = createFormatSink('sarif', out, { tool, rules: docs });
    await sink.close();
    const log = JSON.parse(out.text) as SarifLog;
    expect(validate(log)).toBe(true);
    expect(results(log)).toEqual([]);
    expect(log.runs[0]!.tool.driver.rules).toHaveLength(3);
  });
});
