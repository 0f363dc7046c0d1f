/**
 * SCPs limit the principal's side, RCPs the key's side (and, for reach, what outsiders can do): every level must
 * allow, none may deny. Policies from Organizations DescribePolicy outputs (fixtures/organization-policies.json).
 */
import { describe, expect, it } from 'vitest';
import { analyseAccess } from '../../src/kms/access';
import { evaluateBilateral } from '../../src/kms/bilateral';
import { reachUnderRcps } from '../../src/kms/bilateral-reach';
import type { BilateralAccess } from '../../src/kms/bilateral-types';
import type { IamAccountView } from '../../src/sources/aws';
import { accountFromDetails, KEY_ARN, keyPolicy, OWNER, orgFixture, PARTNER, policySet } from './iam-data';

const org = orgFixture();
const notEnabled = { status: 'not-enabled' } as const;
const withOrg = (organization: IamAccountView['organization']): IamAccountView => ({
  ...accountFromDetails(OWNER, 'iam-details-111122223333.json'),
  organization,
});
const key = { arn: KEY_ARN, account: OWNER, policy: keyPolicy(), grants: [] };
const named = (r: BilateralAccess, name: string) => r.principals.find((p) => p.name === name);

describe('SCPs', () => {
  const result = evaluateBilateral(key, [
    withOrg({ serviceControlPolicies: policySet(org.scp), resourceControlPolicies: notEnabled }),
  ]);

  it('an SCP Deny at an OU takes DisableKey from alice, and the explanation names it and its level', () => {
    const alice = named(result, 'alice')!;
    expect(alice.access.admin?.actions).not.toContain('kms:DisableKey');
    expect(alice.access.admin?.limited).toEqual([
      {
        layer: 'scp',
        explicit: true,
        by: [
          {
            layer: 'scp',
            name: 'DenyKeyDisable',
            arn: 'arn:aws:organizations::111111111111:policy/o-exampleorgid/service_control_policy/p-examplepolicyid111',
            target: 'ou-examplerootid111-exampleouid111',
            sid: 'NoKeyDisable',
            pointer: '/Statement/0',
          },
        ],
        actions: ['kms:DisableKey'],
      },
    ]);
    expect(alice.access.use?.conditional).toBe(false);
  });

  it('service-linked roles are not limited by SCPs', () => {
    expect(named(result, 'AWSServiceRoleForExample')?.access.admin?.actions).toEqual(['kms:DisableKey']);
  });

  it('a level whose SCPs allow no KMS action stops everything at that level (implicit deny)', () => {
    const r = evaluateBilateral(key, [
      withOrg({ serviceControlPolicies: policySet(org.scpS3OnlyAccount), resourceControlPolicies: notEnabled }),
    ]);
    const alice = named(r, 'alice')!;
    expect(alice.access.use?.actions).toEqual([]);
    expect(alice.access.use?.limited[0]).toEqual(
      expect.objectContaining({
        layer: 'scp',
        explicit: false,
        by: [expect.objectContaining({ name: 'S3Only', target: OWNER })],
      }),
    );
    // Even a grant in the key policy to a role ARN does not get past an SCP.
    expect(named(r, 'AppRole')?.access.use?.actions).toEqual([]);
  });

  it('SCPs that could not be listed make results unknown, never allowed', () => {
    const r = evaluateBilateral(key, [
      withOrg({
        serviceControlPolicies: { status: 'unknown', reason: 'AccessDeniedException: not the management account' },
        resourceControlPolicies: notEnabled,
      }),
    ]);
    const alice = named(r, 'alice')!;
    expect(alice.access.use?.actions).toEqual([]);
    expect(alice.access.use?.unknownReasons).toEqual(['SCPs: AccessDeniedException: not the management account']);
  });

  it('an unreadable SCP document is unknown too, unless a readable Deny settles it', () => {
    const scp = policySet(org.scp);
    if (scp.status !== 'enabled') throw new Error('fixture');
    const broken = scp.levels[0]!.policies[0]!;
    scp.levels[0]!.policies[0] = { ...broken, document: null, error: 'DescribePolicy: AccessDeniedException' };
    const r = evaluateBilateral(key, [withOrg({ serviceControlPolicies: scp, resourceControlPolicies: notEnabled })]);
    const alice = named(r, 'alice')!;
    expect(alice.access.use?.unknownActions).toContain('kms:Decrypt');
    expect(alice.access.admin?.limited).toEqual([
      expect.objectContaining({ layer: 'scp', explicit: true, actions: ['kms:DisableKey'] }),
    ]);
  });
});

describe('RCPs', () => {
  const organization = { serviceControlPolicies: notEnabled, resourceControlPolicies: policySet(org.rcp) };

  it("a data perimeter RCP leaves the organization's own principals their access, without conditions", () => {
    const r = evaluateBilateral(key, [withOrg(organization)]);
    const alice = named(r, 'alice')!;
    expect(alice.access.use?.actions).toContain('kms:Decrypt');
    expect(alice.access.use?.conditional).toBe(false);
  });

  it('the perimeter stops a partner account outside the organization, and says which RCP did', () => {
    const partner = accountFromDetails(PARTNER, 'iam-details-444455556666.json');
    const r = evaluateBilateral(key, [withOrg(organization), partner]);
    const importer = named(r, 'Importer')!;
    expect(importer.access.use?.actions).toEqual([]);
    expect(importer.access.use?.limited[0]).toEqual(
      expect.objectContaining({
        layer: 'rcp',
        explicit: true,
        by: [expect.objectContaining({ name: 'KmsDataPerimeter' })],
      }),
    );
  });

  it('RCPs do not apply to AWS managed keys', () => {
    const partner = accountFromDetails(PARTNER, 'iam-details-444455556666.json');
    const r = evaluateBilateral({ ...key, awsManaged: true }, [withOrg(organization), partner]);
    expect(named(r, 'Importer')?.access.use?.actions).toContain('kms:Decrypt');
    expect(r.notes).toContain('RCPs do not apply to AWS managed keys.');
  });

  it('with --org, a data perimeter makes a key shared with an outside account internal in fact', () => {
    const access = analyseAccess({ account: OWNER, keyArn: KEY_ARN, policy: key.policy, grants: [] });
    expect(access.reach).toBe('cross-account');
    const reach = reachUnderRcps(key, access, withOrg(organization));
    expect(reach).toEqual({
      before: 'cross-account',
      after: 'internal',
      blocked: [
        {
          principal: `arn:aws:iam::${PARTNER}:root`,
          by: [expect.objectContaining({ layer: 'rcp', name: 'KmsDataPerimeter', sid: 'RCPEnforceIdentityPerimeter' })],
        },
      ],
    });
  });

  it('an outside account that is in the organization keeps its reach', () => {
    const access = analyseAccess({ account: OWNER, keyArn: KEY_ARN, policy: key.policy, grants: [] });
    const reach = reachUnderRcps(key, access, withOrg(organization), { organizationAccounts: [PARTNER] });
    expect(reach).toEqual({ before: 'cross-account', after: 'cross-account', blocked: [] });
  });

  it('a public key stays public without a perimeter, and becomes internal with it', () => {
    const policy = keyPolicy(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }],
      }),
    );
    const access = analyseAccess({ account: OWNER, keyArn: KEY_ARN, policy });
    expect(access.reach).toBe('public');
    const fullOnly = policySet([org.rcp[0]!].map((l) => ({ ...l, policies: [l.policies[0]!] })));
    const open = reachUnderRcps(
      { ...key, policy },
      access,
      withOrg({ ...organization, resourceControlPolicies: fullOnly }),
    );
    expect(open).toEqual({ before: 'public', after: 'public', blocked: [] });
    const closed = reachUnderRcps({ ...key, policy }, access, withOrg(organization));
    expect(closed?.after).toBe('internal');
  });

  it('RCPs that could not be read leave reach as it was, and say why', () => {
    const access = analyseAccess({ account: OWNER, keyArn: KEY_ARN, policy: key.policy, grants: [] });
    const reach = reachUnderRcps(
      key,
      access,
      withOrg({ serviceControlPolicies: notEnabled, resourceControlPolicies: { status: 'unknown', reason: 'denied' } }),
    );
    expect(reach).toEqual({ before: 'cross-account', after: 'cross-account', blocked: [], unknown: 'denied' });
  });
});
