/**
 * The keys the KMS stand-in serves: a deterministic mix of the key types a real account holds, in the wire shapes
 * of the AWS KMS API reference (JSON 1.1, timestamps as epoch seconds).
 */

export interface StandinKey {
  metadata: Record<string, unknown>;
  policy: string;
  grants: Array<Record<string, unknown>>;
  tags: Array<{ TagKey: string; TagValue: string }>;
  aliases: string[];
  rotation: boolean;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width);

export function keyIdOf(regionIndex: number, index: number): string {
  return `${hex(regionIndex + 1, 8)}-0000-4000-8000-${hex(index, 12)}`;
}

/** Number of grants of key `index`: most none, some a few, a few more than one page of 100. */
export function grantCountOf(index: number): number {
  if (index % 97 === 13) return 150;
  return index % 7 === 0 ? 2 : 0;
}

export function makeKey(account: string, region: string, regionIndex: number, index: number): StandinKey {
  const KeyId = keyIdOf(regionIndex, index);
  const Arn = `arn:aws:kms:${region}:${account}:key/${KeyId}`;
  const kind = index % 10;
  const awsManaged = kind === 0;
  const KeySpec = kind === 3 ? 'RSA_2048' : kind === 5 ? 'HMAC_256' : 'SYMMETRIC_DEFAULT';
  const KeyUsage = kind === 3 ? 'SIGN_VERIFY' : kind === 5 ? 'GENERATE_VERIFY_MAC' : 'ENCRYPT_DECRYPT';
  const Origin = kind === 7 ? 'EXTERNAL' : 'AWS_KMS';
  const pendingDeletion = index % 50 === 11;
  const metadata: Record<string, unknown> = {
    AWSAccountId: account,
    KeyId,
    Arn,
    CreationDate: 1566518783.394 + index,
    Enabled: !pendingDeletion,
    Description: awsManaged ? 'Default key that protects my EBS volumes when no other key is defined' : `key ${index}`,
    KeyUsage,
    KeyState: pendingDeletion ? 'PendingDeletion' : 'Enabled',
    Origin,
    KeyManager: awsManaged ? 'AWS' : 'CUSTOMER',
    CustomerMasterKeySpec: KeySpec,
    KeySpec,
    MultiRegion: false,
  };
  if (pendingDeletion) metadata.DeletionDate = 1767225600;
  if (KeySpec === 'SYMMETRIC_DEFAULT') metadata.EncryptionAlgorithms = ['SYMMETRIC_DEFAULT'];
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
  const grants = Array.from({ length: grantCountOf(index) }, (_, g) => ({
    KeyId: Arn,
    GrantId: `${hex(index, 8)}${hex(g, 8)}${'0'.repeat(48)}`,
    Name: '',
    CreationDate: 1518567315.0,
    GranteePrincipal: `arn:aws:iam::${account}:role/app-${g}`,
    IssuingAccount: `arn:aws:iam::${account}:root`,
    Operations: ['Decrypt', 'Encrypt'],
  }));
  const tags =
    index % 3 === 0
      ? []
      : [
          { TagKey: 'Dept', TagValue: 'IT' },
          { TagKey: 'Purpose', TagValue: 'Test' },
        ];
  const aliases = awsManaged ? [`alias/aws/service-${index}`] : index % 2 === 0 ? [`alias/key-${index}`] : [];
  return { metadata, policy, grants, tags, aliases, rotation: index % 4 === 0 };
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
