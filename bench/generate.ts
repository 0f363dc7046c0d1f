/**
 * Realistic key snapshots for benchmarks: the shapes of the demo account (console default, SAM admin/user split,
 * AWS managed, org share, partner share, grants, service principals), varied per key, as keywarden.snapshot/v1 text.
 */
const ACCOUNT = '111122223333';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const root = {
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
};
const adminActions = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];
const useActions = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

function statements(n: number, pick: () => number): unknown[] {
  const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}-${n % 97}`;
  const shape = Math.floor(pick() * 8);
  switch (shape) {
    case 0:
      return [root];
    case 1:
      return [
        root,
        {
          Sid: 'Allow access for Key Administrators',
          Effect: 'Allow',
          Principal: { AWS: role('KeyAdmin') },
          Action: adminActions,
          Resource: '*',
        },
        {
          Sid: 'Allow use of the key',
          Effect: 'Allow',
          Principal: { AWS: [role('App'), role('Worker')] },
          Action: useActions,
          Resource: '*',
        },
        {
          Sid: 'Allow attachment of persistent resources',
          Effect: 'Allow',
          Principal: { AWS: [role('App')] },
          Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
          Resource: '*',
          Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        },
      ];
    case 2:
      return [
        {
          Sid: 'Allow access through EBS',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: [...useActions, 'kms:CreateGrant'],
          Resource: '*',
          Condition: {
            StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': 'ec2.eu-west-1.amazonaws.com' },
          },
        },
        {
          Sid: 'Allow direct access to key metadata',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
          Resource: '*',
        },
      ];
    case 3:
      return [
        root,
        {
          Sid: 'OrgDecrypt',
          Effect: 'Allow',
          Principal: '*',
          Action: ['kms:Decrypt', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
        },
      ];
    case 4:
      return [
        root,
        {
          Sid: 'Partner',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${444455550000 + (n % 1000)}:root` },
          Action: ['kms:Decrypt', 'kms:DescribeKey'],
          Resource: '*',
        },
      ];
    case 5:
      return [
        root,
        {
          Sid: 'CloudTrail',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 'kms:GenerateDataKey*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/t${n}` } },
        },
        {
          Sid: 'DenyOutsideVpce',
          Effect: 'Deny',
          Principal: '*',
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: {
            StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' },
            Bool: { 'aws:PrincipalIsAWSService': 'false' },
          },
        },
      ];
    case 6:
      return [
        root,
        {
          Sid: 'Ops',
          Effect: 'Allow',
          Principal: { AWS: role('Ops') },
          Action: ['kms:Create*', 'kms:Put*', 'kms:Decrypt', 'kms:Encrypt'],
          Resource: '*',
        },
      ];
    default:
      return [
        root,
        {
          Sid: 'Legacy',
          Effect: 'Allow',
          Principal: '*',
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
        },
      ];
  }
}

export function keyPolicy(n: number, seed = 7): string {
  const pick = rng(seed * 100003 + n);
  return JSON.stringify({ Version: '2012-10-17', Id: `key-policy-${n}`, Statement: statements(n, pick) }, null, 2);
}

export function snapshotText(n: number, seed = 7): string {
  const pick = rng(seed * 7919 + n);
  const keyId = `1234abcd-12ab-34cd-56ef-${n.toString(16).padStart(12, '0')}`;
  const arn = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${keyId}`;
  const grants =
    pick() < 0.2
      ? [
          {
            KeyId: arn,
            GrantId: `${n.toString(16).padStart(64, 'a')}`,
            Name: 'batch',
            GranteePrincipal: `arn:aws:iam::${pick() < 0.5 ? ACCOUNT : '444455556666'}:role/Batch`,
            RetiringPrincipal: `arn:aws:iam::${ACCOUNT}:root`,
            IssuingAccount: `arn:aws:iam::${ACCOUNT}:root`,
            Operations: ['Decrypt', 'GenerateDataKey'],
            CreationDate: 1730000000,
          },
        ]
      : [];
  return JSON.stringify(
    {
      format: 'keywarden.snapshot/v1',
      account: ACCOUNT,
      region: 'eu-west-1',
      collectedAt: '2026-11-20T09:00:00Z',
      DescribeKey: {
        KeyMetadata: {
          AWSAccountId: ACCOUNT,
          KeyId: keyId,
          Arn: arn,
          CreationDate: 1714000000,
          Enabled: true,
          Description: `key ${n}`,
          KeyUsage: 'ENCRYPT_DECRYPT',
          KeyState: 'Enabled',
          Origin: 'AWS_KMS',
          KeyManager: 'CUSTOMER',
          KeySpec: 'SYMMETRIC_DEFAULT',
          MultiRegion: false,
        },
      },
      GetKeyPolicy: { Policy: keyPolicy(n, seed), PolicyName: 'default' },
      ListGrants: { Grants: grants, Truncated: false },
      ListAliases: { Aliases: [{ AliasName: `alias/app-${n}`, TargetKeyId: keyId }] },
      ListResourceTags: { Tags: [{ TagKey: 'team', TagValue: `t${n % 13}` }], Truncated: false },
      GetKeyRotationStatus: { KeyRotationEnabled: pick() < 0.8, KeyId: keyId },
    },
    null,
    2,
  );
}
