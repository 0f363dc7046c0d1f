/**
 * The collector through the real SDK against moto's server: keys, aliases, grants, tags, policies, a key policy
 * that denies DescribeKey (moto evaluates Deny statements for DescribeKey), Organizations accounts with assumed
 * roles, and the IAM side.
 */
import {
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  EnableKeyRotationCommand,
  KMSClient,
  TagResourceCommand,
} from '@aws-sdk/client-kms';
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Gap } from '../../src/kms/snapshot';
import { isApiError } from '../../src/kms/snapshot-format';
import {
  type AwsScanOptions,
  type CollectedKey,
  collectAws,
  collectIamSide,
  type IamAccountView,
} from '../../src/sources/aws';
import { TEST_ENV, withEnv } from './fixtures';
import { MOTO_SKIP_MESSAGE, type MotoServer, motoAvailable, startMoto } from './moto-server';

if (!motoAvailable) console.warn(MOTO_SKIP_MESSAGE);

const CALLER = '123456789012'; // moto's default account
const REGION = 'us-east-1';

async function collect(options: AwsScanOptions) {
  const keys: CollectedKey[] = [];
  const gaps: Gap[] = [];
  for await (const item of collectAws(options)) {
    if ('gap' in item) gaps.push(item);
    else keys.push(item);
  }
  return { keys, gaps };
}

const denyDescribePolicy = (account: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Admin',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      { Sid: 'NoDescribe', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:DescribeKey', Resource: '*' },
    ],
  });

describe.skipIf(!motoAvailable)('collector against moto', () => {
  let moto: MotoServer;
  let restoreEnv: () => void;

  beforeAll(async () => {
    moto = await startMoto();
    restoreEnv = withEnv({ ...TEST_ENV, AWS_REGION: REGION, AWS_ENDPOINT_URL: moto.endpoint });
  }, 120_000);

  afterAll(async () => {
    restoreEnv?.();
    await moto?.stop();
  });

  beforeEach(async () => {
    await moto.reset();
  });

  it('collects keys with aliases, grants, tags, policies and rotation; a key whose policy denies DescribeKey stays in', async () => {
    const kms = new KMSClient({ region: REGION });
    const app = await kms.send(new CreateKeyCommand({ Description: 'app data' }));
    const appId = app.KeyMetadata?.KeyId as string;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/app-data', TargetKeyId: appId }));
    await kms.send(new TagResourceCommand({ KeyId: appId, Tags: [{ TagKey: 'team', TagValue: 'payments' }] }));
    await kms.send(new EnableKeyRotationCommand({ KeyId: appId }));
    await kms.send(
      new CreateGrantCommand({
        KeyId: appId,
        GranteePrincipal: `arn:aws:iam::${CALLER}:role/worker`,
        Operations: ['Decrypt', 'Encrypt'],
      }),
    );
    const signing = await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }));
    const locked = await kms.send(new CreateKeyCommand({ Policy: denyDescribePolicy(CALLER) }));
    kms.destroy();

    const { keys, gaps } = await collect({ regions: [REGION] });
    expect(gaps).toEqual([]);
    const byId = (id: string | undefined) => keys.find((k) => k.arn.endsWith(`/${id}`)) as CollectedKey;
    const appKey = byId(appId).raw;
    expect(appKey.account).toBe(CALLER);
    expect(appKey.ListAliases).toEqual({
      Aliases: [expect.objectContaining({ AliasName: 'alias/app-data', TargetKeyId: appId })],
    });
    expect(appKey.ListResourceTags).toEqual({ Tags: [{ TagKey: 'team', TagValue: 'payments' }] });
    expect(appKey.GetKeyRotationStatus).toEqual(expect.objectContaining({ KeyRotationEnabled: true }));
    const grants = appKey.ListGrants && !isApiError(appKey.ListGrants) ? appKey.ListGrants.Grants : [];
    expect(grants).toEqual([expect.objectContaining({ GranteePrincipal: `arn:aws:iam::${CALLER}:role/worker` })]);
    const policy =
      appKey.GetKeyPolicy && !isApiError(appKey.GetKeyPolicy) ? JSON.parse(appKey.GetKeyPolicy.Policy) : {};
    expect(policy.Statement).toBeDefined();
    expect(byId(appId).keyManager).toBe('CUSTOMER');

    expect(byId(signing.KeyMetadata?.KeyId).raw.GetKeyRotationStatus).toBeUndefined();

    const lockedKey = byId(locked.KeyMetadata?.KeyId);
    expect(lockedKey.raw.DescribeKey).toEqual({
      error: { code: 'AccessDeniedException', message: expect.any(String) },
    });
    expect(lockedKey.keyManager).toBe('unknown');
    expect(lockedKey.raw.GetKeyPolicy).toEqual(
      expect.objectContaining({ Policy: expect.stringContaining('NoDescribe') }),
    );
  });

  it('scans the Organization: assumes the role in each active member, skips closed accounts', async () => {
    const org = new OrganizationsClient({ region: REGION });
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    await org.send(new CreateAccountCommand({ AccountName: 'prod', Email: 'prod@example.com' }));
    await org.send(new CreateAccountCommand({ AccountName: 'old', Email: 'old@example.com' }));
    const { Accounts = [] } = await org.send(new ListAccountsCommand({}));
    const prod = Accounts.find((a) => a.Name === 'prod')?.Id as string;
    const old = Accounts.find((a) => a.Name === 'old')?.Id as string;
    await org.send(new CloseAccountCommand({ AccountId: old }));
    org.destroy();

    // A key in the member account, created with the same role the scan will assume.
    const sts = new STSClient({ region: REGION });
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${prod}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'setup',
      }),
    );
    sts.destroy();
    const c = assumed.Credentials;
    const memberKms = new KMSClient({
      region: REGION,
      credentials: {
        accessKeyId: c?.AccessKeyId ?? '',
        secretAccessKey: c?.SecretAccessKey ?? '',
        sessionToken: c?.SessionToken ?? '',
      },
    });
    const memberKey = await memberKms.send(new CreateKeyCommand({ Description: 'member key' }));
    memberKms.destroy();
    const callerKms = new KMSClient({ region: REGION });
    await callerKms.send(new CreateKeyCommand({ Description: 'management key' }));
    callerKms.destroy();

    const { keys, gaps } = await collect({ org: true, regions: [REGION] });
    expect(gaps).toEqual([]);
    expect(keys.map((k) => k.raw.account).sort()).toEqual([CALLER, prod].sort());
    const member = keys.find((k) => k.raw.account === prod);
    expect(member?.arn).toBe(memberKey.KeyMetadata?.Arn);
    expect(keys.some((k) => k.raw.account === old)).toBe(false);
  });

  it('reads the IAM side: users with group and inline policies, roles with managed policies and trust', async () => {
    const iam = new IAMClient({ region: REGION });
    const kmsUse = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }],
    });
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'admins' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'admins', UserName: 'alice' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'admins', PolicyName: 'all-kms', PolicyDocument: kmsUse }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'own', PolicyDocument: kmsUse }));
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    await iam.send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: trust }));
    const managed = await iam.send(new CreatePolicyCommand({ PolicyName: 'kms-use', PolicyDocument: kmsUse }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: managed.Policy?.Arn }));
    iam.destroy();

    const views: IamAccountView[] = [];
    const gaps: Gap[] = [];
    for await (const item of collectIamSide({})) {
      if ('gap' in item) gaps.push(item);
      else views.push(item);
    }
    expect(gaps).toEqual([]);
    expect(views).toHaveLength(1);
    const principals = views[0]?.principals ?? [];
    const alice = principals.find((p) => p.kind === 'user' && p.name === 'alice');
    expect(alice?.groups).toEqual(['admins']);
    expect(alice?.policies.map((p) => [p.name, p.kind, p.viaGroup])).toEqual([
      ['own', 'inline', undefined],
      ['all-kms', 'inline', 'admins'],
    ]);
    expect(alice?.policies[0]?.document).toEqual(JSON.parse(kmsUse));
    const worker = principals.find((p) => p.kind === 'role' && p.name === 'worker');
    expect(worker?.trustPolicy).toEqual(JSON.parse(trust));
    expect(worker?.policies).toEqual([
      expect.objectContaining({
        name: 'kms-use',
        kind: 'managed',
        arn: managed.Policy?.Arn,
        document: JSON.parse(kmsUse),
      }),
    ]);
  });
});
