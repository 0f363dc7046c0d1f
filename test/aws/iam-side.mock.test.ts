import {
  GetAccountAuthorizationDetailsCommand,
  GetPolicyVersionCommand,
  IAMServiceException,
} from '@aws-sdk/client-iam';
import { ListRootsCommand, OrganizationsServiceException } from '@aws-sdk/client-organizations';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Gap } from '../../src/kms/snapshot';
import { type AwsScanOptions, collectIamSide, type IamAccountView } from '../../src/sources/aws';
import { MANAGEMENT, mockEstate } from './aws-mocks';
import { serviceError, TEST_ENV, withEnv } from './fixtures';

async function read(options: AwsScanOptions) {
  const views: IamAccountView[] = [];
  const gaps: Gap[] = [];
  for await (const item of collectIamSide(options)) {
    if ('gap' in item) gaps.push(item);
    else views.push(item);
  }
  return { views, gaps };
}

let restoreEnv: () => void;
let estate: ReturnType<typeof mockEstate>;
beforeEach(() => {
  restoreEnv = withEnv(TEST_ENV);
  estate = mockEstate({ assumeRoleDenied: ['444444444444'] });
});
afterEach(() => {
  estate.restore();
  restoreEnv();
});

describe('collectIamSide', () => {
  it('reads every GetAccountAuthorizationDetails page into principals with URL-decoded policies', async () => {
    const { views, gaps } = await read({});
    expect(gaps).toEqual([]);
    expect(views).toHaveLength(1);
    expect(estate.iam.commandCalls(GetAccountAuthorizationDetailsCommand)).toHaveLength(2);
    const view = views[0] as IamAccountView;
    expect(view.account).toBe(MANAGEMENT);
    expect(view.organization).toBeUndefined();
    const byName = (name: string) => view.principals.find((p) => p.name === name);

    const alice = byName('Alice');
    expect(alice?.kind).toBe('user');
    expect(alice?.groups).toEqual(['Admins']);
    expect(alice?.policies).toEqual([
      {
        name: 'AdministratorAccess',
        kind: 'managed',
        arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
        viaGroup: 'Admins',
        document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      },
    ]);

    const bob = byName('Bob');
    expect(bob?.policies.map((p) => [p.name, p.kind])).toEqual([
      ['DenyBillingAndIAMPolicy', 'inline'],
      ['UseAppKey', 'inline'],
      ['DeveloperBoundary', 'permissions-boundary'],
    ]);
    expect(bob?.policies[1]?.document?.Statement).toEqual([
      expect.objectContaining({ Action: ['kms:Decrypt', 'kms:Encrypt'] }),
    ]);

    const role = byName('EC2role');
    expect(role?.trustPolicy?.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'ec2.amazonaws.com' } }),
    ]);
    // The default version of a managed policy is the one read (v2 of AmazonS3FullAccess).
    expect(role?.policies.find((p) => p.name === 'AmazonS3FullAccess')?.document?.Statement).toEqual([
      expect.objectContaining({ Action: ['s3:*', 's3-object-lambda:*'] }),
    ]);
    // A boundary not in the details is read with GetPolicy + GetPolicyVersion.
    expect(role?.policies.find((p) => p.kind === 'permissions-boundary')).toEqual(
      expect.objectContaining({
        arn: 'arn:aws:iam::aws:policy/PowerUserAccess',
        document: expect.objectContaining({ Version: '2012-10-17' }),
      }),
    );
    expect(estate.iam.commandCalls(GetPolicyVersionCommand).map((c) => c.args[0].input)).toEqual([
      { PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess', VersionId: 'v5' },
    ]);
    expect(byName('Admins')?.kind).toBe('group');
  });

  it('with --org adds the SCPs and RCPs of every level from the root to the account', async () => {
    const { views, gaps } = await read({ org: true, accounts: ['222222222222', '444444444444'] });
    expect(gaps.map((g) => g.account)).toEqual(['444444444444']);
    const organization = views[0]?.organization;
    expect(views[0]?.account).toBe('222222222222');
    const scps = organization?.serviceControlPolicies;
    expect(scps?.status).toBe('enabled');
    if (scps?.status !== 'enabled') return;
    expect(scps.levels.map((l) => [l.targetType, l.targetId, l.policies.map((p) => p.name)])).toEqual([
      ['ROOT', 'r-examplerootid111', ['FullAWSAccess']],
      ['ORGANIZATIONAL_UNIT', 'ou-examplerootid111-exampleouid111', ['FullAWSAccess']],
      ['ACCOUNT', '222222222222', ['DenyKmsKeyDeletion']],
    ]);
    expect(scps.levels[2]?.policies[0]?.document?.Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion' }),
    ]);
    const rcps = organization?.resourceControlPolicies;
    expect(rcps?.status === 'enabled' ? rcps.levels.map((l) => l.policies.map((p) => p.name)) : rcps).toEqual([
      ['RCPFullAWSAccess'],
      ['KmsDataPerimeter'],
      [],
    ]);
  });

  it('marks the Organization policies unknown, with the reason, when the tree cannot be read', async () => {
    estate.org.on(ListRootsCommand).rejects(serviceError(OrganizationsServiceException, 'AccessDeniedException'));
    const { views } = await read({ org: true, accounts: ['222222222222'] });
    expect(views[0]?.organization?.serviceControlPolicies).toEqual({
      status: 'unknown',
      reason: expect.stringMatching(/AccessDeniedException.*management account or a delegated administrator/),
    });
  });

  it('an account whose IAM cannot be read is a gap with the permissions to grant', async () => {
    estate.iam.on(GetAccountAuthorizationDetailsCommand).rejects(serviceError(IAMServiceException, 'AccessDenied'));
    const { views, gaps } = await read({});
    expect(views).toEqual([]);
    expect(gaps).toEqual([
      expect.objectContaining({
        account: MANAGEMENT,
        reason: expect.stringMatching(/iam:GetAccountAuthorizationDetails.*grant/),
      }),
    ]);
  });
});
