import { ListRegionsCommand } from '@aws-sdk/client-account';
import { ListAliasesCommand, ListGrantsCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Gap } from '../../src/kms/snapshot';
import { isApiError } from '../../src/kms/snapshot-format';
import { type CollectedKey, collectAws } from '../../src/sources/aws';
import { MANAGEMENT, mockEstate, PENDING_KEY, RSA_KEY } from './aws-mocks';
import { TEST_ENV, withEnv } from './fixtures';

const CUSTOMER_KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const AWS_MANAGED_KEY = 'b8a9477d-836c-491f-857e-07937918959b';
const EXTERNAL_KEY = 'c3d4e5f6-a1b2-4c3d-8e9f-0a1b2c3d4e5f';

async function collect(options: Parameters<typeof collectAws>[0]) {
  const keys: CollectedKey[] = [];
  const gaps: Gap[] = [];
  for await (const item of collectAws(options)) {
    if ('gap' in item) gaps.push(item);
    else keys.push(item);
  }
  const byId = (id: string) => keys.find((k) => k.arn.endsWith(`/${id}`)) as CollectedKey;
  return { keys, gaps, byId };
}

let restoreEnv: () => void;
let estate: ReturnType<typeof mockEstate>;
afterEach(() => {
  estate?.restore();
  restoreEnv?.();
});

describe('collectAws with mocked KMS (one account, one region)', () => {
  beforeEach(() => {
    restoreEnv = withEnv(TEST_ENV);
    estate = mockEstate({ policyDenied: [RSA_KEY] });
  });

  it('collects every key of every ListKeys page, labelled by key manager', async () => {
    const { keys, gaps } = await collect({ regions: ['us-west-2'] });
    expect(gaps).toEqual([]);
    expect(keys).toHaveLength(5);
    expect(keys.map((k) => k.keyManager).sort()).toEqual(['AWS', 'CUSTOMER', 'CUSTOMER', 'CUSTOMER', 'CUSTOMER']);
    const listKeys = estate.kms.commandCalls(ListKeysCommand);
    expect(listKeys).toHaveLength(2);
    expect(listKeys[1]?.args[0].input.Marker).toBe('eyJFbmNyeXB0ZWREYXRhIjpbMSwyLDMsNF19');
    for (const key of keys) {
      expect(key.raw.format).toBe('keywarden.snapshot/v1');
      expect(key.raw.account).toBe(MANAGEMENT);
      expect(key.raw.region).toBe('us-west-2');
    }
  });

  it('merges every ListGrants page and prints fields as the AWS CLI does', async () => {
    const { byId } = await collect({ regions: ['us-west-2'] });
    const raw = byId(CUSTOMER_KEY).raw;
    expect(raw.ListGrants).toEqual({
      Grants: [
        expect.objectContaining({ GrantId: '1667b97d27cf748cf05b487217dd4179526c949d14fb3903858e25193253fe59' }),
        expect.objectContaining({ GranteePrincipal: 'arn:aws:iam::444455556666:role/ExternalApp' }),
      ],
    });
    const grantCalls = estate.kms
      .commandCalls(ListGrantsCommand)
      .filter((c) => c.args[0].input.KeyId?.endsWith(CUSTOMER_KEY));
    expect(grantCalls.map((c) => c.args[0].input.Marker)).toEqual([undefined, 'eyJHcmFudE1hcmtlciI6IjEifQ==']);
    const metadata = isApiError(raw.DescribeKey) ? {} : raw.DescribeKey.KeyMetadata;
    expect(metadata.CreationDate).toBe('2019-08-23T00:06:23.394Z');
    expect(raw.GetKeyPolicy).toEqual(expect.objectContaining({ PolicyName: 'default' }));
    expect(JSON.stringify(raw)).not.toMatch(/\$metadata|NextMarker|Truncated/);
    expect(raw.ListResourceTags).toEqual({
      Tags: [
        { TagKey: 'Dept', TagValue: 'IT' },
        { TagKey: 'Purpose', TagValue: 'Test' },
      ],
    });
    expect(raw.GetKeyRotationStatus).toEqual(
      expect.objectContaining({ KeyRotationEnabled: true, NextRotationDate: '2024-04-05T15:14:47.757Z' }),
    );
  });

  it('lists aliases once per region and attributes them by TargetKeyId', async () => {
    const { byId } = await collect({ regions: ['us-west-2'] });
    expect(estate.kms.commandCalls(ListAliasesCommand)).toHaveLength(1);
    const names = (id: string) => {
      const aliases = byId(id).raw.ListAliases;
      return aliases && !isApiError(aliases) ? aliases.Aliases.map((a) => a.AliasName) : 'error';
    };
    expect(names(CUSTOMER_KEY)).toEqual(['alias/testKey', 'alias/project121-test']);
    expect(names(AWS_MANAGED_KEY)).toEqual(['alias/aws/s3']);
    expect(names(PENDING_KEY)).toEqual([]);
  });

  it('asks rotation only where the key type supports it', async () => {
    const { byId } = await collect({ regions: ['us-west-2'] });
    expect(byId(RSA_KEY).raw.GetKeyRotationStatus).toBeUndefined();
    expect(byId(EXTERNAL_KEY).raw.GetKeyRotationStatus).toBeUndefined();
    expect(byId(AWS_MANAGED_KEY).raw.GetKeyRotationStatus).toEqual(
      expect.objectContaining({ KeyRotationEnabled: true }),
    );
  });

  it('records AccessDenied and KMSInvalidStateException as error fields and keeps the key', async () => {
    const { byId } = await collect({ regions: ['us-west-2'] });
    expect(byId(RSA_KEY).raw.GetKeyPolicy).toEqual({
      error: { code: 'AccessDeniedException', message: expect.stringContaining('kms:GetKeyPolicy') },
    });
    expect(byId(RSA_KEY).raw.DescribeKey).toEqual(expect.objectContaining({ KeyMetadata: expect.anything() }));
    expect(byId(PENDING_KEY).raw.GetKeyRotationStatus).toEqual({
      error: { code: 'KMSInvalidStateException', message: expect.stringContaining('is pending deletion') },
    });
  });

  it('makes no region-discovery call for an explicit region list', async () => {
    await collect({ regions: ['us-west-2', 'eu-west-1'] });
    expect(estate.account.commandCalls(ListRegionsCommand)).toHaveLength(0);
  });

  it('reports each unknown region name as a gap and scans the rest', async () => {
    const { keys, gaps } = await collect({ regions: ['us-west-2', 'us-west-2a', 'not a region'] });
    expect(keys).toHaveLength(5);
    expect(gaps.map((g) => g.region)).toEqual(['us-west-2a', 'not a region']);
    expect(gaps[0]?.reason).toMatch(/not a region name/);
  });

  it('reports bad options without calling AWS', async () => {
    const { keys, gaps } = await collect({ regions: ['us-west-2'], quotaShare: 2, maxRps: -1 });
    expect(keys).toEqual([]);
    expect(gaps.map((g) => g.reason)).toEqual([
      expect.stringMatching(/quota share/),
      expect.stringMatching(/--max-rps/),
    ]);
    expect(estate.sts.calls()).toHaveLength(0);
  });

  it('stops the scan cleanly when the consumer stops early', async () => {
    let seen = 0;
    for await (const item of collectAws({ regions: ['us-west-2'], keyConcurrency: 1 })) {
      if (!('gap' in item)) seen += 1;
      if (seen === 1) break;
    }
    expect(seen).toBe(1);
  });
});

describe('collectAws when DescribeKey is refused', () => {
  beforeEach(() => {
    restoreEnv = withEnv(TEST_ENV);
    estate = mockEstate({ describeDenied: [AWS_MANAGED_KEY, CUSTOMER_KEY] });
  });

  it('keeps the key, asks rotation anyway, and tells an AWS managed key by its alias/aws/ alias', async () => {
    const { byId } = await collect({ regions: ['us-west-2'] });
    const managed = byId(AWS_MANAGED_KEY);
    expect(managed.raw.DescribeKey).toEqual({ error: expect.objectContaining({ code: 'AccessDeniedException' }) });
    expect(managed.keyManager).toBe('AWS');
    expect(managed.raw.GetKeyRotationStatus).toEqual(expect.objectContaining({ KeyRotationEnabled: true }));
    expect(byId(CUSTOMER_KEY).keyManager).toBe('unknown');
  });
});

describe('collectAws region discovery and opt-in regions', () => {
  beforeEach(() => {
    restoreEnv = withEnv(TEST_ENV);
    estate = mockEstate({ regionsNotEnabled: ['me-south-1'] });
  });

  it('--region all reads every page of account:ListRegions with the enabled statuses', async () => {
    const { keys, gaps } = await collect({ regions: 'all' });
    const calls = estate.account.commandCalls(ListRegionsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args[0].input.RegionOptStatusContains).toEqual(['ENABLED', 'ENABLED_BY_DEFAULT']);
    expect(new Set(keys.map((k) => k.raw.region))).toEqual(new Set(['eu-west-1', 'us-west-2']));
    expect(keys).toHaveLength(10);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toEqual(expect.objectContaining({ account: MANAGEMENT, region: 'me-south-1' }));
    expect(gaps[0]?.reason).toMatch(/UnrecognizedClientException.*opt-in region not enabled/);
  });

  it('emits progress per account-region, ending in done or failed', async () => {
    const phases = new Map<string, string>();
    await collect({ regions: ['us-west-2', 'me-south-1'], onProgress: (e) => phases.set(e.region, e.phase) });
    expect(Object.fromEntries(phases)).toEqual({ 'us-west-2': 'done', 'me-south-1': 'failed' });
  });
});
