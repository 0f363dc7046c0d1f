/** Shared pieces of the watch tests: real event fixtures, a temporary store, a KMS answered in-process. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListGrantsCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import type { WatchSettings } from '../../src/app/watch';
import { createKeyFetcher, type KeyFetcher } from '../../src/app/watch-fetch';
import type { RawSnapshot } from '../../src/kms/snapshot-format';
import { openSqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/store';

export type Json = Record<string, unknown>;

export const ACCOUNT = '111122223333';
export const OUTSIDER = '444455556666';
export const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
export const KEY_ARN = `arn:aws:kms:us-west-2:${ACCOUNT}:key/${KEY_ID}`;

/** A real CloudTrail record from test/watch/fixtures/events (see SOURCE.md there). */
export const loadEvent = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`./fixtures/events/${name}.json`, import.meta.url), 'utf8')) as Json;

/** The EventBridge envelope of an "AWS API Call via CloudTrail" event around a CloudTrail record. */
export const envelope = (detail: Json): Json => ({
  version: '0',
  id: `eb-${String(detail.eventID ?? 'x')}`,
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.kms',
  account: String((detail.recipientAccountId as string | undefined) ?? ACCOUNT),
  time: detail.eventTime,
  region: detail.awsRegion,
  resources: [],
  detail,
});

/** 2024-05-01T12:00:00Z plus `minutes`, as CloudTrail writes it (seconds, Z). */
export const minute = (minutes: number): string =>
  new Date(Date.UTC(2024, 4, 1, 12, 0, 0) + minutes * 60_000).toISOString().replace('.000Z', 'Z');

export const keyIdOf = (n: number): string => `${String(n).padStart(8, '0')}-12ab-34cd-56ef-1234567890ab`;
export const keyArnOf = (keyId: string): string => `arn:aws:kms:us-west-2:${ACCOUNT}:key/${keyId}`;

export const ROOT_STATEMENT = {
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
};
export const PUBLIC_STATEMENT = { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' };
export const outsiderStatement = (account: string, sid = `Share${account}`) => ({
  Sid: sid,
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: ['kms:Decrypt', 'kms:DescribeKey'],
  Resource: '*',
});
export const policyText = (...statements: Json[]): string =>
  JSON.stringify({ Version: '2012-10-17', Id: 'key-default-1', Statement: [ROOT_STATEMENT, ...statements] }, null, 2);

/** The AWS docs' PutKeyPolicy record, re-aimed at a key, time and id, setting `policy`. */
export function putKeyPolicy(options: {
  keyId?: string;
  time: string;
  id: string;
  policy: string;
  caller?: Json;
}): Json {
  const event = loadEvent('put-key-policy');
  const keyId = options.keyId ?? KEY_ID;
  event.eventTime = options.time;
  event.eventID = options.id;
  (event.requestParameters as Json).keyId = keyId;
  (event.requestParameters as Json).policy = options.policy;
  event.resources = [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: keyArnOf(keyId) }];
  if (options.caller) event.userIdentity = options.caller;
  return event;
}

/** A record of the docs re-aimed at another key, time and id (the key ARN in resources and request). */
export function reaim(name: string, options: { keyId?: string; time: string; id: string }): Json {
  const keyId = options.keyId ?? KEY_ID;
  const text = readFileSync(new URL(`./fixtures/events/${name}.json`, import.meta.url), 'utf8').replaceAll(
    KEY_ID,
    keyId,
  );
  const event = JSON.parse(text) as Json;
  event.eventTime = options.time;
  event.eventID = options.id;
  event.awsRegion = 'us-west-2';
  return event;
}

export interface TempStore {
  store: Store;
  path: string;
  cleanup(): Promise<void>;
}

export function tempStore(): TempStore {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-watch-'));
  const path = join(dir, 'watch.db');
  const opened = openSqliteStore({ path });
  if (!opened.ok) throw new Error(opened.reason);
  return {
    store: opened.value,
    path,
    cleanup: async () => {
      await opened.value.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const SETTINGS: WatchSettings = {
  analysis: { trusted: { accounts: [], organizations: [], orgPaths: [] } },
  alertOn: 'high',
  channels: ['test-channel'],
  notifyResolved: true,
};

/** One key of the in-process KMS, in the API's response shapes (AWS CLI examples of the KMS API reference). */
export interface KmsKey {
  metadata: Json;
  policy: string;
  grants: Json[];
  tags: Array<{ TagKey: string; TagValue: string }>;
  rotation: boolean;
}

export const kmsKey = (keyId: string, policy = policyText()): KmsKey => ({
  metadata: {
    AWSAccountId: ACCOUNT,
    KeyId: keyId,
    Arn: keyArnOf(keyId),
    CreationDate: new Date('2019-08-23T00:06:23.394Z'),
    Enabled: true,
    Description: '',
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: 'Enabled',
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
  },
  policy,
  grants: [],
  tags: [{ TagKey: 'Dept', TagValue: 'IT' }],
  rotation: true,
});

/** The key as a `keywarden.snapshot/v1` record (what the collector would write). */
export const rawOf = (key: KmsKey): RawSnapshot => ({
  format: 'keywarden.snapshot/v1',
  account: ACCOUNT,
  region: 'us-west-2',
  DescribeKey: { KeyMetadata: key.metadata },
  GetKeyPolicy: { Policy: key.policy, PolicyName: 'default' },
  ListGrants: { Grants: key.grants },
  ListResourceTags: { Tags: key.tags },
  GetKeyRotationStatus: { KeyRotationEnabled: key.rotation },
});

/**
 * A KMS answered in-process (aws-sdk-client-mock on one client): the keys of `keys` by ARN or id; a key not there is
 * NotFoundException, as KMS answers. Counts the calls.
 */
export function inProcessKms(keys: Map<string, KmsKey>) {
  const client = new KMSClient({
    region: 'us-west-2',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
  });
  const mock = mockClient(client);
  const calls = { count: 0 };
  const find = (id: unknown): KmsKey => {
    calls.count++;
    const key = keys.get(String(id)) ?? [...keys.values()].find((k) => k.metadata.KeyId === id);
    if (!key) {
      throw Object.assign(new Error(`Key '${String(id)}' does not exist`), {
        name: 'NotFoundException',
        $fault: 'client',
        $metadata: {},
      });
    }
    return key;
  };
  mock.on(DescribeKeyCommand).callsFake((input) => ({ KeyMetadata: find(input.KeyId).metadata }));
  mock.on(GetKeyPolicyCommand).callsFake((input) => ({ Policy: find(input.KeyId).policy, PolicyName: 'default' }));
  mock.on(ListGrantsCommand).callsFake((input) => ({ Grants: find(input.KeyId).grants, Truncated: false }));
  mock.on(ListResourceTagsCommand).callsFake((input) => ({ Tags: find(input.KeyId).tags, Truncated: false }));
  mock.on(GetKeyRotationStatusCommand).callsFake((input) => ({ KeyRotationEnabled: find(input.KeyId).rotation }));
  const fetchKey: KeyFetcher = createKeyFetcher({ kmsFor: () => client, quotaShare: 1 });
  return { client, mock, fetchKey, calls };
}

/** The policy text of a stored snapshot. */
export const storedPolicy = (raw: RawSnapshot | undefined): string | undefined =>
  raw?.GetKeyPolicy && 'Policy' in raw.GetKeyPolicy ? raw.GetKeyPolicy.Policy : undefined;
