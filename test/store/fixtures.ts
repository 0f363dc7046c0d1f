import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Finding } from '../../src/findings/types';
import type { RawSnapshot } from '../../src/kms/snapshot-format';
import type { SnapshotInput } from '../../src/store/store';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

const CUSTOMER_KEY = fixture('customer-key.snapshot.json') as RawSnapshot;
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';

export const FINDINGS = fixture('findings.json') as Finding[];

/** 2024-05-01T12:00:00Z plus `minutes`. */
export const at = (minutes: number): string =>
  new Date(Date.UTC(2024, 4, 1, 12, 0, 0) + minutes * 60_000).toISOString();

export const keyArnOf = (keyId: string, region = 'us-west-2'): string =>
  `arn:aws:kms:${region}:111122223333:key/${keyId}`;

/** Key ids shaped like real ones, numbered. */
export const keyIdOf = (n: number): string => `${String(n).padStart(8, '0')}-12ab-34cd-56ef-1234567890ab`;

export const KEY_ARN = keyArnOf(KEY_ID);

/** The fixture key, renamed to `keyId`, read at `collectedAt`; `extraStatement` changes its policy. */
export const snapshotOf = (
  keyId: string,
  collectedAt: string,
  options: { extraStatementSid?: string; region?: string } = {},
): SnapshotInput => {
  const region = options.region ?? 'us-west-2';
  const text = JSON.stringify(CUSTOMER_KEY).replaceAll(KEY_ID, keyId).replaceAll(':us-west-2:', `:${region}:`);
  const snapshot = JSON.parse(text) as RawSnapshot;
  snapshot.region = region;
  snapshot.collectedAt = collectedAt;
  if (options.extraStatementSid && snapshot.GetKeyPolicy && 'Policy' in snapshot.GetKeyPolicy) {
    const policy = JSON.parse(snapshot.GetKeyPolicy.Policy);
    policy.Statement.push({
      Sid: options.extraStatementSid,
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::444455556666:root' },
      Action: 'kms:Decrypt',
      Resource: '*',
    });
    snapshot.GetKeyPolicy = { ...snapshot.GetKeyPolicy, Policy: JSON.stringify(policy, null, 2) };
  }
  return { keyArn: keyArnOf(keyId, region), account: '111122223333', region, collectedAt, snapshot };
};

/**
 * The fixture key with `count` grants of random ids and encryption contexts (KMS allows 50,000 grants per key):
 * several MB of JSON that compresses poorly, larger than one DynamoDB item.
 */
export const snapshotWithManyGrants = (count: number, collectedAt: string): SnapshotInput => {
  const input = snapshotOf(KEY_ID, collectedAt);
  const template = (CUSTOMER_KEY.ListGrants as { Grants: Array<Record<string, unknown>> }).Grants[0]!;
  const grants = Array.from({ length: count }, () => ({
    ...template,
    GrantId: randomBytes(32).toString('hex'),
    Name: randomBytes(12).toString('base64url'),
    Constraints: { EncryptionContextSubset: { Department: randomBytes(16).toString('hex') } },
  }));
  input.snapshot.ListGrants = { Grants: grants };
  return input;
};

/** A finding of the fixture set, moved to another key and id. */
export const findingFor = (keyArn: string, id: string, base: Finding = FINDINGS[0]!): Finding => ({
  ...base,
  id,
  resource: keyArn,
});
