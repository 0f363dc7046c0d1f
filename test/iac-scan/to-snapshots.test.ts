import { describe, expect, it } from 'vitest';
import { NOT_CARRIED } from '../../src/kms/known';
import { isSkipped } from '../../src/kms/snapshot';
import { readTemplateInput, templateKeyFacts } from '../../src/sources/iac/to-snapshots';
import { analyse, example, gaps, items, NOW, oneKey, snapshotOf, snapshots } from './helpers';

const ROOT_STATEMENT = `      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Sid: Root
            Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::\${AWS::AccountId}:root
            Action: kms:*
            Resource: "*"
`;

describe('template keys as KeySnapshots', () => {
  it('a SAM key: origin template, logical id, positions in the file, aliases, rotation; no finding', async () => {
    const list = await items(example('sam-app.yaml'), 'examples/templates/sam-app.yaml');
    expect(gaps(list)).toEqual([]);
    const key = snapshotOf(list, 'OrdersKey');
    expect(key.origin).toEqual({
      kind: 'template',
      file: 'examples/templates/sam-app.yaml',
      logicalId: 'OrdersKey',
      positionsInFile: true,
    });
    expect(key.arn).toBe('arn:aws:kms:{{AWS::Region}}:{{AWS-AccountId}}:key/{{Ref:OrdersKey}}');
    expect(key.aliases).toEqual({ ok: true, value: ['alias/orders-prod'] });
    expect(key.rotation).toEqual({ ok: true, value: true });
    expect(key.collectedAt).toBe(NOW);
    const report = analyse(key);
    expect(report.findings).toEqual([]);
    expect(report.compliance.status).toBe('COMPLIANT');
    expect(report.access.reach).toBe('internal');
  });

  it('what a template cannot carry is not applicable, never unknown', async () => {
    const key = snapshotOf(
      await items(
        oneKey(`${ROOT_STATEMENT}      EnableKeyRotation: !Ref Rotate\n`, 'Parameters:\n  Rotate:\n    Type: String\n'),
      ),
      'Key',
    );
    expect(key.tags).toEqual({ ok: false, reason: NOT_CARRIED });
    expect(key.grants).toEqual({ ok: false, reason: NOT_CARRIED });
    expect(key.rotation).toEqual({ ok: false, reason: NOT_CARRIED });
    const report = analyse(key);
    expect(report.findings.filter((f) => f.status === 'unknown')).toEqual([]);
    expect(report.compliance.status).toBe('COMPLIANT');
  });

  it('rotation not written on a symmetric key is off (the CloudFormation default) and reported on the key line', async () => {
    const list = await items(oneKey(ROOT_STATEMENT));
    const report = analyse(snapshotOf(list, 'Key'));
    expect(report.findings.map((f) => f.rule)).toEqual(['rotation-disabled']);
    expect(report.findings[0]?.resource).toBe('Key');
  });

  it('asymmetric keys and replica keys carry no rotation', async () => {
    const rsa = snapshotOf(
      await items(oneKey(`${ROOT_STATEMENT}      KeySpec: RSA_2048\n      KeyUsage: SIGN_VERIFY\n`)),
      'Key',
    );
    expect(rsa.rotation).toEqual({ ok: false, reason: NOT_CARRIED });
    expect(analyse(rsa).findings).toEqual([]);
  });

  it('a disabled key is a disabled snapshot', async () => {
    const key = snapshotOf(
      await items(oneKey(`${ROOT_STATEMENT}      EnableKeyRotation: true\n      Enabled: false\n`)),
      'Key',
    );
    expect(key.metadata.ok && key.metadata.value.KeyState).toBe('Disabled');
    expect(analyse(key).findings.map((f) => f.rule)).toEqual(['key-state']);
  });

  it('a key without a policy gets the default key policy (account root only), findings placed on the key', async () => {
    const key = snapshotOf(await items(oneKey('      EnableKeyRotation: true\n')), 'Key');
    expect(key.policy.ok && key.policy.value.statements[0]?.principal?.aws).toEqual([
      'arn:aws:iam::{{AWS-AccountId}}:root',
    ]);
    const report = analyse(key);
    expect(report.access.reach).toBe('internal');
    expect(report.findings).toEqual([]);
  });

  it('the template account: --template-account names it; a bare !Ref AWS::AccountId principal is its root', async () => {
    const text = oneKey(`      EnableKeyRotation: true
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Ref AWS::AccountId
            Action: kms:*
            Resource: "*"
`);
    const symbolic = analyse(snapshotOf(await items(text), 'Key'));
    expect(symbolic.access.reach).toBe('internal');
    expect(symbolic.findings).toEqual([]);
    const named = snapshotOf(await items(text, 'template.yaml', { accountId: '111122223333' }), 'Key');
    expect(named.account).toBe('111122223333');
    expect(named.arn).toBe('arn:aws:kms:{{AWS::Region}}:111122223333:key/{{Ref:Key}}');
    expect(analyse(named).access.reach).toBe('internal');
  });

  it('a public statement: the finding carries the file, line and column of the statement', async () => {
    const list = await items(example('public-key.yaml'), 'examples/templates/public-key.yaml', {
      parameters: { PartnerAccount: '444455556666' },
    });
    const report = analyse(snapshotOf(list, 'SharedKey'));
    const pub = report.findings.find((f) => f.rule === 'public-key');
    expect(pub?.evidence).toMatchObject({
      file: 'examples/templates/public-key.yaml',
      pointer: '/Statement/1',
      line: 24,
      column: 13,
      sid: 'AllowDecryptFromAnywhere',
    });
    expect(example('public-key.yaml').split('\n')[23]).toContain('- Sid: AllowDecryptFromAnywhere');
    const partner = report.findings.find((f) => f.rule === 'untrusted-account-access');
    expect(partner?.title).toContain('444455556666');
  });

  it('a key policy that is not valid: a located gap, and the key still listed as unreadable', async () => {
    const text = oneKey(`      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: "*"
            Actoin: kms:Decrypt
            Resource: "*"
`);
    const list = await items(text);
    const [gap] = gaps(list);
    expect(gap).toMatchObject({ file: 'template.yaml', line: 10, column: 13 });
    expect(gap?.reason).toMatch(/^Key: the key policy is not valid: .*Actoin/);
    expect(gap?.pointer).toBe('/Resources/Key/Properties/KeyPolicy/Statement/0/Actoin');
    expect(snapshotOf(list, 'Key').policy.ok).toBe(false);
  });

  it('a template that does not parse is a located gap', async () => {
    const list = await items('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Key: [unclosed\n');
    expect(snapshots(list)).toEqual([]);
    expect(gaps(list)[0]).toMatchObject({ file: 'template.yaml' });
    expect(gaps(list)[0]?.line).toBeGreaterThan(0);
  });

  it('files that are no template are left to the other readers; .tf/.template files that are none are skipped', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [] });
    expect(await readTemplateInput(policy, 'policy.json', { now: () => NOW })).toBeUndefined();
    expect(await readTemplateInput('format: keywarden.snapshot/v1\n', 'k.yaml', { now: () => NOW })).toBeUndefined();
    const skipped = await readTemplateInput('just text\n', 'notes.template', { now: () => NOW });
    expect(skipped?.every(isSkipped)).toBe(true);
  });

  it('Terraform: the key, its alias, a variable given as a parameter, positions inside jsonencode', async () => {
    const list = await items(example('kms.tf'), 'kms.tf', { parameters: { partner_account: '444455556666' } });
    const key = snapshotOf(list, 'aws_kms_key.exports');
    expect(key.arn).toBe('arn:aws:kms:{{AWS::Region}}:{{AWS-AccountId}}:key/{{aws_kms_key.exports.key_id}}');
    expect(key.aliases).toEqual({ ok: true, value: ['alias/exports'] });
    const finding = analyse(key).findings.find((f) => f.rule === 'untrusted-account-access');
    expect(finding?.evidence).toMatchObject({ file: 'kms.tf', line: 24, sid: 'PartnerDecrypt' });
    const lines = example('kms.tf').split('\n');
    expect(lines[23]?.trim()).toBe('{'); // the statement object opens on line 24; its Sid is the next line
    expect(lines[24]).toContain('"PartnerDecrypt"');
  });

  it('Terraform grants of the template are the key grants', async () => {
    const text = `resource "aws_kms_key" "k" {
  enable_key_rotation = true
}
resource "aws_kms_grant" "app" {
  key_id            = aws_kms_key.k.key_id
  grantee_principal = "arn:aws:iam::444455556666:role/app"
  operations        = ["Decrypt"]
}
`;
    const key = snapshotOf(await items(text, 'grant.tf'), 'aws_kms_key.k');
    expect(key.grants.ok && key.grants.value.map((g) => [g.GranteePrincipal, g.Operations])).toEqual([
      ['arn:aws:iam::444455556666:role/app', ['Decrypt']],
    ]);
    expect(analyse(key).findings.map((f) => f.rule)).toContain('grant-hygiene');
  });
});

describe('inline suppressions', () => {
  it('Metadata.keywarden.suppress and # keywarden:suppress comments are the key facts', async () => {
    const list = await items(example('suppressed.yaml'));
    expect(gaps(list)).toEqual([]);
    expect(templateKeyFacts(snapshotOf(list, 'ArchiveKey'))?.suppressions).toEqual([
      {
        rule: 'rotation-disabled',
        reason: 'archive key; re-encrypted yearly by the archive job instead of rotated',
        written: 'Metadata.keywarden.suppress',
      },
    ]);
    expect(templateKeyFacts(snapshotOf(list, 'BackupKey'))?.suppressions).toEqual([
      {
        rule: 'untrusted-account-access',
        reason: '444455556666 is our backup account (ticket SEC-142)',
        written: '# keywarden:suppress',
      },
    ]);
    expect(templateKeyFacts(snapshotOf(list, 'ArchiveKey'))?.location).toEqual({ line: 6, column: 3 });
  });

  it('a suppression naming a rule keywarden does not have is a located gap with the closest rule id', async () => {
    const text = oneKey(ROOT_STATEMENT).replace(
      '    Type: AWS::KMS::Key\n',
      '    Type: AWS::KMS::Key\n    Metadata:\n      keywarden:\n        suppress:\n          - rule: rotation-disable\n            reason: yearly re-encryption\n',
    );
    const list = await items(text);
    expect(templateKeyFacts(snapshotOf(list, 'Key'))?.suppressions).toEqual([]);
    const [gap] = gaps(list);
    expect(gap?.reason).toMatch(
      /rule rotation-disable, which keywarden does not have.*Did you mean rotation-disabled\?/,
    );
    expect(gap).toMatchObject({ line: 3, pointer: '/Resources/Key/Metadata/keywarden/suppress' });
  });

  it('a comment suppression without a reason is a located gap; comments above the next resource are not ours', async () => {
    const text = `Resources:
  Key:
    Type: AWS::KMS::Key
    # keywarden:suppress rotation-disabled
    Properties:
      EnableKeyRotation: false
  # keywarden:suppress public-key belongs to the next resource
  Other:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
`;
    const list = await items(text);
    expect(gaps(list)).toEqual([
      expect.objectContaining({ line: 4, column: 5, reason: expect.stringMatching(/needs a reason/) }),
    ]);
    expect(templateKeyFacts(snapshotOf(list, 'Key'))?.suppressions).toEqual([]);
    expect(templateKeyFacts(snapshotOf(list, 'Other'))?.suppressions.map((s) => s.rule)).toEqual(['public-key']);
  });
});
