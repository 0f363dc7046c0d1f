import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListKeysCommand } from '@aws-sdk/client-kms';
import { ListAccountsCommand, OrganizationsServiceException } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSServiceException } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Gap } from '../../src/kms/snapshot';
import { type AwsScanOptions, type CollectedKey, collectAws } from '../../src/sources/aws';
import { MANAGEMENT, mockEstate } from './aws-mocks';
import { serviceError, TEST_ENV, withEnv } from './fixtures';

async function collect(options: AwsScanOptions) {
  const keys: CollectedKey[] = [];
  const gaps: Gap[] = [];
  for await (const item of collectAws(options)) {
    if ('gap' in item) gaps.push(item);
    else keys.push(item);
  }
  const accounts = [...new Set(keys.map((k) => k.raw.account))].sort();
  return { keys, gaps, accounts };
}

let restoreEnv: () => void;
let estate: ReturnType<typeof mockEstate> | undefined;
afterEach(() => {
  estate?.restore();
  estate = undefined;
  restoreEnv?.();
});

describe('collectAws --org', () => {
  beforeEach(() => {
    restoreEnv = withEnv(TEST_ENV);
    estate = mockEstate({ assumeRoleDenied: ['444444444444'] });
  });

  it('reads every ListAccounts page, skips suspended accounts and scans the rest', async () => {
    const { accounts, gaps, keys } = await collect({ org: true, regions: ['us-west-2'] });
    expect(estate?.org.commandCalls(ListAccountsCommand)).toHaveLength(2);
    expect(accounts).toEqual([MANAGEMENT, '222222222222', '555555555555']);
    expect(keys).toHaveLength(15);
    const member = keys.find((k) => k.raw.account === '222222222222');
    expect(member?.arn).toMatch(/^arn:aws:kms:us-west-2:222222222222:key\//);
    const assumed = estate?.sts
      .commandCalls(AssumeRoleCommand)
      .map((c) => c.args[0].input.RoleArn)
      .sort();
    expect(assumed).toEqual([
      'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
      'arn:aws:iam::444444444444:role/OrganizationAccountAccessRole',
      'arn:aws:iam::555555555555:role/OrganizationAccountAccessRole',
    ]);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]?.account).toBe('444444444444');
    expect(gaps[0]?.reason).toMatch(/assume role arn:aws:iam::444444444444:role\/OrganizationAccountAccessRole/);
    expect(gaps[0]?.reason).toMatch(/trust policy for account 111122223333/);
  });

  it('assumes the named role with the external id', async () => {
    await collect({
      org: true,
      regions: ['us-west-2'],
      role: 'KeywardenAudit',
      externalId: 'ext-123',
      accounts: ['555555555555'],
    });
    const calls = estate?.sts.commandCalls(AssumeRoleCommand) ?? [];
    expect(calls.map((c) => c.args[0].input)).toEqual([
      expect.objectContaining({ RoleArn: 'arn:aws:iam::555555555555:role/KeywardenAudit', ExternalId: 'ext-123' }),
    ]);
  });

  it('applies --accounts and --exclude-accounts, and names accounts not in the Organization', async () => {
    const { accounts, gaps } = await collect({
      org: true,
      regions: ['us-west-2'],
      accounts: ['222222222222', '555555555555', '999999999999'],
      excludeAccounts: ['555555555555'],
    });
    expect(accounts).toEqual(['222222222222']);
    expect(gaps.map((g) => g.account)).toEqual(['999999999999']);
    expect(gaps[0]?.reason).toMatch(/not in the Organization/);
  });

  it('scans the caller account alone when the Organization cannot be listed', async () => {
    estate?.org.on(ListAccountsCommand).rejects(serviceError(OrganizationsServiceException, 'AccessDeniedException'));
    const { accounts, gaps } = await collect({ org: true, regions: ['us-west-2'] });
    expect(accounts).toEqual([MANAGEMENT]);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]?.reason).toMatch(/organizations:ListAccounts.*scanning account 111122223333 only/);
  });
});

describe('credentials that cannot be used', () => {
  it('expired credentials: one gap, no KMS call', async () => {
    restoreEnv = withEnv(TEST_ENV);
    estate = mockEstate();
    estate.sts.on(GetCallerIdentityCommand).rejects(serviceError(STSServiceException, 'ExpiredToken'));
    const { keys, gaps } = await collect({ regions: ['us-west-2', 'eu-west-1'] });
    expect(keys).toEqual([]);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]?.reason).toMatch(/ExpiredToken.*credentials have expired/);
    expect(estate.kms.commandCalls(ListKeysCommand)).toHaveLength(0);
  });

  it('a profile that does not exist: one gap naming the profile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keywarden-aws-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = us-west-2\n');
    writeFileSync(
      join(dir, 'credentials'),
      '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = example\n',
    );
    restoreEnv = withEnv({
      ...TEST_ENV,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      // Should credentials resolve after all, the calls would go to a closed local port, never to AWS.
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });
    try {
      const { keys, gaps } = await collect({ profile: 'no-such-profile', regions: ['us-west-2'] });
      expect(keys).toEqual([]);
      expect(gaps).toHaveLength(1);
      expect(gaps[0]?.reason).toMatch(/profile "no-such-profile"/);
      expect(gaps[0]?.reason).toMatch(/--profile, AWS_PROFILE and ~\/\.aws\/config/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
