import { describe, expect, it } from 'vitest';
import { parseCloudTrailEvent } from '../../../src/trail/detect/event';
import { exposuresInvestigation } from '../../../src/trail/detect/exposures';
import type { JudgePolicy } from '../../../src/trail/detect/judge';
import { hasCorpus, pantherTest } from '../corpus';
import { fromTemplate, template, time } from '../helpers';
import { simpleJudge } from '../judge';

const KEY = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const base = template('put-key-policy');
const put = (at: string, policy: unknown, extra: Record<string, unknown> = {}) =>
  fromTemplate('put-key-policy', {
    eventTime: time(at),
    requestParameters: {
      ...(base.requestParameters as object),
      policy: typeof policy === 'string' ? policy : JSON.stringify(policy),
    },
    ...extra,
  });
const ROOT = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };
const PUBLIC = { Statement: [ROOT, { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] };
const CROSS = {
  Statement: [
    ROOT,
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'kms:Decrypt', Resource: '*' },
  ],
};
const DEFAULT = { Statement: [ROOT] };

const replay = (events: ReturnType<typeof put>[], judge: JudgePolicy = simpleJudge) => {
  const investigation = exposuresInvestigation(judge);
  for (const event of events) investigation.add(event);
  return investigation.finish();
};

describe('exposure replay', () => {
  it('shows a public period ended by the revert, even though the key is fine now', () => {
    const result = replay([put('10:16:00', DEFAULT), put('10:15:00', PUBLIC)]);
    expect(result.periods).toEqual([
      expect.objectContaining({ key: KEY, reach: 'public', from: time('10:15:00'), until: time('10:16:00') }),
    ]);
    expect(result.flags[0]?.title).toContain('was public (policy) from 2024-06-01T10:15:00Z to 2024-06-01T10:16:00Z');
  });

  it('a cross-account policy still in force at the end of the events', () => {
    const result = replay([put('09:00:00', CROSS)]);
    expect(result.periods).toEqual([expect.objectContaining({ reach: 'cross-account' })]);
    expect(result.periods[0]?.until).toBeUndefined();
    expect(result.flags[0]).toMatchObject({ severity: 'high' });
  });

  it('the AWS example PutKeyPolicy (the default policy) is internal and not flagged', () => {
    const result = replay([fromTemplate('put-key-policy')]);
    expect(result.changes[0]).toMatchObject({ reach: 'internal', failed: false, marks: [] });
    expect(result.flags).toEqual([]);
  });

  it('a failed attempt to make a key public is listed and flagged medium, but is no exposure period', () => {
    const result = replay([put('10:00:00', PUBLIC, { errorCode: 'AccessDeniedException' })]);
    expect(result.periods).toEqual([]);
    expect(result.flags).toEqual([expect.objectContaining({ severity: 'medium' })]);
    expect(result.flags[0]?.title).toContain('a failed attempt (AccessDeniedException) to make the key public');
  });

  it('a policy that only another account can manage is marked as a lockout', () => {
    const result = replay([put('10:00:00', { Statement: [CROSS.Statement[1]] })]);
    expect(result.changes[0]?.marks).toEqual(["locks the key's own account out of kms:PutKeyPolicy"]);
    expect(result.flags.map((flag) => flag.severity)).toContain('critical');
  });

  it('without the key account, a public policy is still public and the rest is unknown', () => {
    const bare = (policy: unknown) => ({
      ...put('10:00:00', policy),
      resources: null,
      recipientAccountId: null,
      userIdentity: { type: 'AssumedRole', userName: 'TestRole' },
      requestParameters: { policy: JSON.stringify(policy) },
    });
    expect(replay([bare(PUBLIC)]).changes[0]?.reach).toBe('public');
    expect(replay([bare(CROSS)]).changes[0]).toMatchObject({
      reach: 'unknown',
      policyError: expect.stringContaining('key account'),
    });
  });

  it('a policy that is not valid JSON is counted and reported, never fatal', () => {
    const result = replay([put('10:00:00', '{"Statement": [ {'), put('10:01:00', DEFAULT)]);
    expect(result.invalidPolicies).toBe(1);
    expect(result.changes[0]?.policyError).toMatch(/^policy not valid JSON/);
    expect(result.changes[1]?.reach).toBe('internal');
  });

  it('an engine that throws leaves the change unjudged with the reason', () => {
    const result = replay([put('10:00:00', DEFAULT)], () => {
      throw new Error('engine exploded');
    });
    expect(result.unjudgedPolicies).toBe(1);
    expect(result.changes[0]).toMatchObject({
      reach: 'unknown',
      policyError: 'the policy judge failed: engine exploded',
    });
  });

  it('passes the key account to the judge and keeps its high findings as flags', () => {
    const seen: string[] = [];
    const result = replay([put('10:00:00', DEFAULT)], (_text, account) => {
      seen.push(account);
      return {
        reach: 'internal',
        findings: [{ rule: 'lockout-risk', severity: 'high', title: 'nobody can change this key' }],
      };
    });
    expect(seen).toEqual(['111122223333']);
    expect(result.flags[0]?.title).toContain('lockout-risk: nobody can change this key');
  });

  it('marks Endgame and bypass-lockout changes', () => {
    const endgame = {
      Statement: [
        {
          Sid: 'Endgame',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::999988887777:user/evil' },
          Action: 'kms:*',
          Resource: '*',
        },
        ...DEFAULT.Statement,
      ],
    };
    const result = replay([
      put('10:00:00', endgame, { userAgent: 'HotDogsAreSandwiches' }),
      put('10:01:00', DEFAULT, {
        requestParameters: { ...(base.requestParameters as object), bypassPolicyLockoutSafetyCheck: true },
      }),
    ]);
    expect(result.changes[0]?.marks).toEqual([
      'Endgame signature: user agent "HotDogsAreSandwiches"',
      'Endgame signature: statement Sid "Endgame"',
    ]);
    expect(result.changes[1]?.marks).toContain('BypassPolicyLockoutSafetyCheck=true');
    expect(result.flags.find((flag) => flag.title.includes('Endgame'))?.severity).toBe('critical');
  });

  it('a grant to another account is open until it is revoked', () => {
    const grant = fromTemplate('create-grant', {
      eventTime: time('11:00:00'),
      requestParameters: {
        ...(template('create-grant').requestParameters as object),
        granteePrincipal: 'arn:aws:iam::444455556666:role/Partner',
      },
    });
    const revoke = fromTemplate('revoke-grant', {
      eventTime: time('12:00:00'),
      requestParameters: { keyId: KEY, grantId: 'f020fe75197b93991dc8491d6f19dd3cebb24ee62277a05914386724f3d48758' },
    });
    const result = replay([grant, revoke]);
    expect(result.periods).toEqual([
      expect.objectContaining({
        kind: 'grant',
        reach: 'cross-account',
        from: time('11:00:00'),
        until: time('12:00:00'),
      }),
    ]);
  });

  it('the AWS example grant (grantee given as a principal id) cannot be placed: unknown, not flagged', () => {
    const result = replay([fromTemplate('create-grant')]);
    expect(result.changes[0]).toMatchObject({
      kind: 'grant',
      reach: 'unknown',
      grant: { operations: ['Encrypt', 'RetireGrant'] },
    });
    expect(result.flags).toEqual([]);
  });
});

describe.skipIf(!hasCorpus)(
  'exposure replay on Panther labelled PutKeyPolicy events (aws_resource_made_public.yml)',
  () => {
    it.each([
      ['Wildcard Principal No Conditions (Should Alert)', true],
      ['KMS Key Restricted Access (Should Not Alert)', false],
    ])('%s: public = %s', (name, expected) => {
      const parsed = parseCloudTrailEvent(pantherTest('aws_resource_made_public.yml', name).log);
      if (!parsed.ok) throw new Error(parsed.reason);
      const result = replay([parsed.event]);
      expect(result.changes).toHaveLength(1);
      expect(result.changes[0]?.reach === 'public').toBe(expected);
    });
  },
);
