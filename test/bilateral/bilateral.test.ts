/**
 * Bilateral evaluation over an account read from iam:GetAccountAuthorizationDetails (fixtures/iam-details-*.json)
 * and a key policy that delegates to the account (fixtures/key-policy.json).
 */
import { describe, expect, it } from 'vitest';
import { evaluateBilateral } from '../../src/kms/bilateral';
import {
  type AccountIamInput,
  type BilateralAccess,
  createBilateralCache,
  type PrincipalIamAccess,
} from '../../src/kms/bilateral-types';
import type { IamAccountView } from '../../src/sources/aws';
import { accountFromDetails, KEY_ARN, keyPolicy, OWNER, PARTNER } from './iam-data';

const owner = accountFromDetails(OWNER, 'iam-details-111122223333.json');
const partner = accountFromDetails(PARTNER, 'iam-details-444455556666.json');
const key = { arn: KEY_ARN, account: OWNER, policy: keyPolicy(), grants: [] };

// The collector's view is assignable to the engine's structural input (checked by tsc).
const asInput: AccountIamInput = owner satisfies IamAccountView;

const byName = (result: BilateralAccess, name: string): PrincipalIamAccess | undefined =>
  result.principals.find((p) => p.name === name);

describe('evaluateBilateral: one account, key policy delegating to it', () => {
  const result = evaluateBilateral(key, [asInput]);

  it('evaluates every user and role (groups are not principals) and lists only those with access', () => {
    expect(result.status).toBe('evaluated');
    expect(result.checked).toBe(13);
    expect(result.principals.map((p) => p.name).sort()).toEqual(
      [
        'AWSServiceRoleForExample',
        'AdminRole',
        'AppRole',
        'BoundedRole',
        'alice',
        'bob',
        'carol',
        'dave',
        'frank',
        'grace',
        'henry',
      ].sort(),
    );
    expect(byName(result, 'erin')).toBeUndefined(); // its IAM policy names another key
    expect(byName(result, 'EC2role')).toBeUndefined(); // no KMS permission in IAM
  });

  it('alice (AdministratorAccess through group Admins) can do everything the key policy does not deny', () => {
    const alice = byName(result, 'alice')!;
    for (const cls of ['use', 'admin', 'grant', 'policy'] as const) {
      expect(alice.access[cls]?.actions.length, cls).toBeGreaterThan(0);
      expect(alice.access[cls]?.conditional, cls).toBe(false);
    }
    expect(alice.access.use?.because).toEqual([
      { layer: 'key-policy', name: 'key policy', sid: 'Enable IAM User Permissions', pointer: '/Statement/0' },
      {
        layer: 'identity',
        name: 'AdministratorAccess',
        arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
        viaGroup: 'Admins',
        pointer: '/Statement/0',
      },
    ]);
    // The key policy denies ScheduleKeyDeletion to everyone but BreakGlass: not a limit, simply not granted.
    expect(alice.access.admin?.actions).not.toContain('kms:ScheduleKeyDeletion');
    expect(alice.access.admin?.actions).toContain('kms:DisableKey');
    expect(alice.access.admin?.limited).toEqual([]);
  });

  it('bob: the identity policy allows Encrypt and Decrypt, the permissions boundary only Decrypt', () => {
    const bob = byName(result, 'bob')!;
    expect(bob.access.use?.actions).toEqual(['kms:Decrypt']);
    expect(bob.access.use?.because.map((r) => r.name)).toEqual(['key policy', 'UseAppKey']);
    expect(bob.access.use?.limited).toEqual([
      {
        layer: 'permissions-boundary',
        explicit: false,
        by: [
          {
            layer: 'permissions-boundary',
            name: 'DeveloperBoundary',
            arn: 'arn:aws:iam::111122223333:policy/DeveloperBoundary',
          },
        ],
        actions: ['kms:Encrypt'],
      },
    ]);
    expect(bob.access.admin).toBeUndefined();
  });

  it('carol: an identity policy condition on kms:ViaService means "with conditions"', () => {
    const carol = byName(result, 'carol')!;
    expect(carol.access.use?.actions).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(carol.access.use?.conditional).toBe(true);
  });

  it('dave: an explicit Deny in his own inline policy takes PutKeyPolicy away', () => {
    const dave = byName(result, 'dave')!;
    expect(dave.access.admin?.actions).toContain('kms:DisableKey');
    expect(dave.access.policy?.actions).toEqual([]);
    expect(dave.access.policy?.limited).toEqual([
      {
        layer: 'identity',
        explicit: true,
        by: [{ layer: 'identity', name: 'DenyPolicyChange', pointer: '/Statement/0' }],
        actions: ['kms:PutKeyPolicy'],
      },
    ]);
  });

  it('frank: a managed policy whose document could not be read makes his result unknown, not denied', () => {
    const frank = byName(result, 'frank')!;
    expect(frank.access.use?.actions).toEqual([]);
    expect(frank.access.use?.unknownActions).toContain('kms:Decrypt');
    expect(frank.access.use?.unknownReasons[0]).toMatch(
      /IAM policy ReportingAccess: managed policy document not found/,
    );
  });

  it('grace: a Deny conditioned on MFA leaves access "with conditions" (a request with MFA escapes it)', () => {
    const grace = byName(result, 'grace')!;
    expect(grace.access.admin?.actions).toContain('kms:DisableKey');
    expect(grace.access.admin?.conditional).toBe(true);
  });

  it('AppRole: named by ARN in the key policy, it needs no IAM policy', () => {
    const app = byName(result, 'AppRole')!;
    expect(app.access.use?.actions).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(app.access.use?.because).toEqual([
      { layer: 'key-policy', name: 'key policy', sid: 'AllowAppRoleDirect', pointer: '/Statement/1' },
    ]);
    expect(app.access.admin).toBeUndefined();
  });

  it('a boundary limits a key policy grant to a role ARN, not to a user ARN', () => {
    const role = byName(result, 'BoundedRole')!;
    expect(role.access.use?.actions).toEqual([]);
    expect(role.access.use?.limited[0]).toEqual(
      expect.objectContaining({ layer: 'permissions-boundary', explicit: false, actions: ['kms:Encrypt'] }),
    );
    const henry = byName(result, 'henry')!;
    expect(henry.access.use?.actions).toEqual(['kms:Encrypt']);
    expect(henry.access.use?.limited).toEqual([]);
  });

  it('notes what was not taken into account', () => {
    expect(result.notes.join(' ')).toMatch(/SCPs and RCPs were not read/);
  });
});

describe('evaluateBilateral: another account delegated to by the key policy', () => {
  const result = evaluateBilateral(key, [owner, partner]);

  it("the partner's role is allowed cross-account operations only, through both accounts' policies", () => {
    const importer = byName(result, 'Importer')!;
    expect(importer.external).toBe(true);
    expect(importer.account).toBe(PARTNER);
    expect(importer.access.use?.actions).toContain('kms:Decrypt');
    expect(importer.access.use?.because.map((r) => r.sid ?? r.name)).toEqual(['AllowPartnerUse', 'UsePartnerKey']);
    expect(importer.access.grant?.actions).toContain('kms:CreateGrant');
    expect(importer.access.admin).toBeUndefined(); // KMS's cross-account limit
    expect(importer.access.policy).toBeUndefined();
  });

  it('a partner role without an IAM policy gets nothing: the key policy alone is not enough across accounts', () => {
    expect(byName(result, 'Bystander')).toBeUndefined();
  });
});

describe('evaluateBilateral: what is not known', () => {
  it("is unknown when the key account's IAM side was not read", () => {
    const result = evaluateBilateral(key, [partner]);
    expect(result.status).toBe('unknown');
    expect(result.unknownReason).toMatch(/111122223333/);
  });

  it('says so when the grants could not be read', () => {
    const result = evaluateBilateral({ ...key, grants: undefined, grantsUnknown: 'AccessDeniedException' }, [owner]);
    expect(result.notes[0]).toMatch(/grants could not be read \(AccessDeniedException\)/);
  });

  it('a key policy that does not delegate to the account gives IAM policies nothing', () => {
    const policy = keyPolicy(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${OWNER}:role/AppRole` },
            Action: 'kms:Decrypt',
            Resource: '*',
          },
        ],
      }),
    );
    const result = evaluateBilateral({ ...key, policy }, [owner]);
    expect(result.principals.map((p) => p.name)).toEqual(['AppRole']);
  });
});

describe('evaluateBilateral: results shared between keys of one run', () => {
  it('reuses a result only where the same statements apply (an IAM policy naming one key does not leak to another)', () => {
    const cache = createBilateralCache();
    const other = { ...key, arn: KEY_ARN.replace('1234abcd', '9999ffff') };
    const first = evaluateBilateral(key, [owner], { cache });
    const second = evaluateBilateral(other, [owner], { cache });
    expect(byName(first, 'bob')?.access.use?.actions).toEqual(['kms:Decrypt']);
    expect(byName(second, 'bob')).toBeUndefined(); // UseAppKey names the first key only
    expect(byName(second, 'alice')?.access).toEqual(byName(first, 'alice')?.access);
    expect(cache.policies.size).toBe(1);
    // Without the cache, the same answers.
    expect(evaluateBilateral(other, [owner]).principals).toEqual(second.principals);
  });

  it('does not share between principals when a condition depends on who they are', () => {
    const policy = keyPolicy(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'kms:*', Resource: '*' },
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: { StringNotEquals: { 'aws:username': 'alice' } },
          },
        ],
      }),
    );
    const twins = {
      ...owner,
      principals: owner.principals.filter((p) => p.name === 'alice' || p.name === 'grace'),
    };
    const result = evaluateBilateral({ ...key, policy }, [twins], { cache: createBilateralCache() });
    expect(byName(result, 'alice')?.access.use?.actions).toContain('kms:Decrypt');
    expect(byName(result, 'grace')?.access.use?.actions).not.toContain('kms:Decrypt');
  });
});
