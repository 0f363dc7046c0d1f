/**
 * The collector through the real SDK stack (signing, retry middleware, JSON 1.1 protocol) against the local KMS
 * stand-in, reached through the SDK's own endpoint settings.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Gap } from '../../src/kms/snapshot';
import { type ApiError, isApiError } from '../../src/kms/snapshot-format';
import { type AwsScanOptions, type CollectedKey, collectAws } from '../../src/sources/aws';
import { TEST_ENV, withEnv } from './fixtures';
import { type Standin, type StandinOptions, startKmsStandin } from './kms-standin';
import { grantCountOf } from './standin-data';

async function collect(options: AwsScanOptions) {
  const keys: CollectedKey[] = [];
  const gaps: Gap[] = [];
  for await (const item of collectAws(options)) {
    if ('gap' in item) gaps.push(item);
    else keys.push(item);
  }
  return { keys, gaps };
}

const FIELDS = ['DescribeKey', 'GetKeyPolicy', 'ListGrants', 'ListAliases', 'ListResourceTags'] as const;

let standin: Standin | undefined;
let restoreEnv: (() => void) | undefined;

async function start(options: StandinOptions, env: Record<string, string | undefined> = {}) {
  standin = await startKmsStandin(options);
  restoreEnv = withEnv({
    ...TEST_ENV,
    AWS_ENDPOINT_URL_KMS: standin.endpoint,
    AWS_ENDPOINT_URL_STS: standin.endpoint,
    ...env,
  });
  return standin;
}

afterEach(async () => {
  restoreEnv?.();
  restoreEnv = undefined;
  await standin?.stop();
  standin = undefined;
});

describe('the SDK endpoint settings reach the stand-in', () => {
  it('AWS_ENDPOINT_URL_KMS sends every KMS call to the local stand-in, pages included', async () => {
    const s = await start({ regions: { 'eu-west-1': 40, 'us-east-1': 15 } });
    const { keys, gaps } = await collect({ regions: ['eu-west-1', 'us-east-1'] });
    expect(gaps).toEqual([]);
    expect(keys).toHaveLength(55);
    expect(s.requests.ListKeys).toBe(2);
    expect(s.requests.ListAliases).toBe(2);
    expect(s.requests.DescribeKey).toBe(55);
    // Key 13 of eu-west-1 has 150 grants: two pages of 100, merged.
    const key13 = s.keys('eu-west-1')[13]?.metadata.Arn;
    const grants = keys.find((k) => k.arn === key13)?.raw.ListGrants;
    expect(grants && !isApiError(grants) ? grants.Grants.length : 'error').toBe(grantCountOf(13));
    expect(s.attempts.get(`ListGrants ${key13}`)).toBe(2);
    // Rotation is asked only for symmetric keys with KMS key material.
    const rotationAsked = keys.filter((k) => k.raw.GetKeyRotationStatus !== undefined).length;
    expect(s.requests.GetKeyRotationStatus).toBe(rotationAsked);
    expect(rotationAsked).toBe(
      [...s.keys('eu-west-1'), ...s.keys('us-east-1')].filter(
        (k) => k.metadata.KeySpec === 'SYMMETRIC_DEFAULT' && k.metadata.Origin === 'AWS_KMS',
      ).length,
    );
  });
});

describe('throttling and server errors through the SDK retry stack', () => {
  it('1,000 keys with 30 % throttling and 5 % server errors: every key present, analysed or with an error field', async () => {
    const s = await start({
      regions: { 'eu-west-1': 1000 },
      throttleRate: 0.3,
      serverErrorRate: 0.05,
      seed: 42,
      faultOperations: ['DescribeKey', 'GetKeyPolicy', 'ListGrants', 'ListResourceTags', 'GetKeyRotationStatus'],
    });
    const { keys, gaps } = await collect({ regions: ['eu-west-1'], quotaShare: 1, keyConcurrency: 32 });
    expect(gaps).toEqual([]);
    const expected = s.keys('eu-west-1').map((k) => k.metadata.Arn as string);
    expect(keys.map((k) => k.arn).sort()).toEqual([...expected].sort());
    let failedFields = 0;
    for (const key of keys) {
      for (const field of FIELDS) {
        const value = key.raw[field];
        expect(value).toBeDefined();
        if (isApiError(value)) {
          failedFields += 1;
          expect(['ThrottlingException', 'KMSInternalException']).toContain((value as ApiError).error.code);
        }
      }
    }
    // The SDK retried: far fewer failed fields than fault responses sent.
    const faultsSent = s.faults.ThrottlingException + s.faults.KMSInternalException;
    expect(faultsSent).toBeGreaterThan(1000);
    expect(failedFields).toBeLessThan(faultsSent / 5);
  }, 240_000);

  it.each([
    ['1', 1],
    ['4', 4],
  ])('AWS_MAX_ATTEMPTS=%s is the number of attempts per call', async (value, attempts) => {
    let target = '';
    const s = await start(
      {
        regions: { 'eu-west-1': 3 },
        fault: (operation, request) =>
          operation === 'GetKeyPolicy' && request.KeyId === target ? 'server-error' : undefined,
      },
      { AWS_MAX_ATTEMPTS: value },
    );
    target = s.keys('eu-west-1')[1]?.metadata.Arn as string;
    const { keys } = await collect({ regions: ['eu-west-1'] });
    expect(s.attempts.get(`GetKeyPolicy ${target}`)).toBe(attempts);
    expect(keys.find((k) => k.arn === target)?.raw.GetKeyPolicy).toEqual({
      error: { code: 'KMSInternalException', message: 'An internal error occurred.' },
    });
  });

  it("the profile's max_attempts applies when AWS_MAX_ATTEMPTS is not set", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keywarden-aws-'));
    writeFileSync(join(dir, 'config'), '[profile scanner]\nregion = eu-west-1\nmax_attempts = 2\n');
    writeFileSync(
      join(dir, 'credentials'),
      '[scanner]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
    );
    try {
      let target = '';
      const s = await start(
        {
          regions: { 'eu-west-1': 2 },
          fault: (operation, request) =>
            operation === 'ListResourceTags' && request.KeyId === target ? 'throttle' : undefined,
        },
        {
          AWS_ACCESS_KEY_ID: undefined,
          AWS_SECRET_ACCESS_KEY: undefined,
          AWS_REGION: undefined,
          AWS_CONFIG_FILE: join(dir, 'config'),
          AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
        },
      );
      target = s.keys('eu-west-1')[0]?.metadata.Arn as string;
      const { keys, gaps } = await collect({ profile: 'scanner' });
      expect(gaps).toEqual([]);
      expect(keys).toHaveLength(2);
      expect(s.attempts.get(`ListResourceTags ${target}`)).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an access-denied ListKeys is a region gap with a fix, the other region is scanned', async () => {
    await start({
      regions: { 'eu-west-1': 3, 'us-east-1': 4 },
      fault: (operation, _request, region) =>
        operation === 'ListKeys' && region === 'us-east-1' ? 'access-denied' : undefined,
    });
    const { keys, gaps } = await collect({ regions: ['eu-west-1', 'us-east-1'] });
    expect(keys).toHaveLength(3);
    expect(gaps).toEqual([
      expect.objectContaining({
        account: '111122223333',
        region: 'us-east-1',
        reason: expect.stringMatching(/kms:ListKeys.*docs\/permissions\.md/),
      }),
    ]);
  });
});
