/** The IAM side in words (explain --aws), the table line, and how `explain --aws` finds the key it is given. */
import { describe, expect, it } from 'vitest';
import { explainIamSide, iamLine, iamSideOf, keyMatches, parseKeyReference } from '../../src/app/iam-explain';
import { analyseAccess } from '../../src/kms/access';
import type { KeySnapshot } from '../../src/kms/snapshot';
import type { IamAccountView } from '../../src/sources/aws';
import { accountFromDetails, KEY_ARN, keyPolicy, OWNER, orgFixture, PARTNER, policySet } from './iam-data';

const policy = keyPolicy();
const snapshot = {
  arn: KEY_ARN,
  account: OWNER,
  region: 'us-east-1',
  metadata: {
    ok: true,
    value: { KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab', Arn: KEY_ARN, KeyManager: 'CUSTOMER' },
  },
  aliases: { ok: true, value: ['alias/payments'] },
  tags: { ok: true, value: {} },
  policy: { ok: true, value: policy },
  grants: { ok: true, value: [] },
  rotation: { ok: true, value: true },
  collectedAt: '2024-03-14T10:00:00.000Z',
  origin: { kind: 'aws' },
} as KeySnapshot;
const report = { key: snapshot, access: analyseAccess({ account: OWNER, keyArn: KEY_ARN, policy, grants: [] }) };
const org = orgFixture();
const owner: IamAccountView = {
  ...accountFromDetails(OWNER, 'iam-details-111122223333.json'),
  organization: { serviceControlPolicies: policySet(org.scp), resourceControlPolicies: policySet(org.rcp) },
};
const partner = accountFromDetails(PARTNER, 'iam-details-444455556666.json');

describe('explainIamSide', () => {
  const text = explainIamSide(iamSideOf(report, [owner, partner])).join('\n');
  const section = (heading: string) => text.slice(text.indexOf(heading), text.indexOf('\n\n', text.indexOf(heading)));

  it('says per class who, with which key policy statement and which IAM policy', () => {
    const use = section('Who can use the key (cryptographic operations), as users and roles:');
    expect(use).toContain(
      '  - role AppRole\n      kms:Decrypt, kms:GenerateDataKey\n      because: key policy statement "AllowAppRoleDirect" names it directly (no IAM policy needed)',
    );
    expect(use).toContain(
      '  - user alice\n      kms:Decrypt, kms:DeriveSharedSecret, kms:Encrypt, kms:GenerateDataKey, kms:GenerateDataKeyPair, kms:GenerateDataKeyPairWithoutPlaintext +7 more\n      because: key policy statement "Enable IAM User Permissions" (the account principal) AND IAM policy AdministratorAccess (via group Admins)',
    );
    expect(use).toContain('  - user carol (with conditions)');
    expect(use).toContain(
      '  - user frank: UNKNOWN for kms:Decrypt, kms:DeriveSharedSecret, kms:Encrypt, kms:GenerateDataKey, kms:GenerateDataKeyPair, kms:GenerateDataKeyPairWithoutPlaintext +7 more\n      because keywarden could not read: IAM policy ReportingAccess: managed policy document not found',
    );
    expect(use).toContain(
      '  - user bob: kms:Encrypt not allowed by its permissions boundary (permissions boundary DeveloperBoundary)',
    );
    // The partner's role: the data perimeter RCP stops it.
    expect(use).toMatch(
      /role arn:aws:iam::444455556666:role\/Importer \(OUTSIDE account 444455556666\): kms:Decrypt, .* denied by RCP KmsDataPerimeter \(statement "RCPEnforceIdentityPerimeter", attached to r-examplerootid111\)/,
    );
  });

  it('names the SCP, its statement and its level when it takes an action away', () => {
    expect(section('Who can administer the key, as users and roles:')).toContain(
      '  - user alice: kms:DisableKey denied by SCP DenyKeyDisable (statement "NoKeyDisable", attached to ou-examplerootid111-exampleouid111)',
    );
    expect(section('Who can change the key policy (kms:PutKeyPolicy), as users and roles:')).toContain(
      '  - user dave: kms:PutKeyPolicy denied by IAM policy DenyPolicyChange (statement /Statement/0)',
    );
  });

  it('shows how the RCPs change reach', () => {
    expect(text).toContain(
      'Reach under RCPs: CROSS-ACCOUNT by the key policy, INTERNAL in fact.\n  - arn:aws:iam::444455556666:root: denied by RCP KmsDataPerimeter (statement "RCPEnforceIdentityPerimeter", attached to r-examplerootid111)',
    );
  });

  it('says UNKNOWN when the key policy could not be read, and when the account was not read', () => {
    const unreadable = {
      ...snapshot,
      policy: { ok: false, reason: 'AccessDeniedException: kms:GetKeyPolicy' },
    } as KeySnapshot;
    expect(explainIamSide(iamSideOf({ key: unreadable, access: report.access }, [owner]))).toEqual([
      '',
      'IAM side: UNKNOWN: the key policy could not be read (AccessDeniedException: kms:GetKeyPolicy).',
    ]);
    expect(explainIamSide(iamSideOf(report, [partner])).join('\n')).toContain(
      "IAM side: UNKNOWN: the IAM side of account 111122223333 (the key's owner) was not read.",
    );
  });
});

describe('iamLine', () => {
  it('one line: how many can do what, the first names, unknowns, and the RCP effect', () => {
    expect(iamLine(iamSideOf(report, [owner, partner]))).toBe(
      // The partner's role keeps kms:RetireGrant only: RCPs do not govern it.
      'IAM (15 users and roles): use 7 (AppRole, AWSServiceRoleForExample, alice +4); admin 5 (AdminRole, AWSServiceRoleForExample, alice +2); grants 5 (AdminRole, alice, dave +2); policy 3 (AdminRole, alice, grace); unknown 1 (frank); RCPs: cross-account -> internal',
    );
  });
});

describe('parseKeyReference and keyMatches', () => {
  it('reads the region and account from an ARN, accepts key ids and alias names, refuses the rest', () => {
    expect(parseKeyReference(KEY_ARN)).toEqual({ region: 'us-east-1', account: OWNER });
    expect(parseKeyReference('arn:aws:kms:eu-west-1:111122223333:alias/payments')).toEqual({
      region: 'eu-west-1',
      account: OWNER,
    });
    expect(parseKeyReference('1234abcd-12ab-34cd-56ef-1234567890ab')).toEqual({});
    expect(parseKeyReference('mrk-1234abcd12ab34cd56ef1234567890ab')).toEqual({});
    expect(parseKeyReference('alias/payments')).toEqual({});
    expect(parseKeyReference('payments')).toBeUndefined();
    expect(parseKeyReference('arn:aws:s3:::bucket')).toBeUndefined();
  });

  it('matches a key by ARN, key id, alias name or alias ARN of the same place', () => {
    expect(keyMatches(snapshot, KEY_ARN)).toBe(true);
    expect(keyMatches(snapshot, '1234abcd-12ab-34cd-56ef-1234567890ab')).toBe(true);
    expect(keyMatches(snapshot, 'alias/payments')).toBe(true);
    expect(keyMatches(snapshot, `arn:aws:kms:us-east-1:${OWNER}:alias/payments`)).toBe(true);
    expect(keyMatches(snapshot, `arn:aws:kms:eu-west-1:${OWNER}:alias/payments`)).toBe(false);
    expect(keyMatches(snapshot, 'alias/other')).toBe(false);
  });
});
