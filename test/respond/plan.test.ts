import { describe, expect, it } from 'vitest';
import { known, unknown } from '../../src/kms/known';
import { evaluate, parsePolicyText } from '../../src/policy';
import { type InvestigationSummary, summariseInvestigation } from '../../src/respond/plan/exposed-key-activity';
import { parseExposedKeyEvent } from '../../src/respond/plan/exposed-key-events';
import { identifyKey } from '../../src/respond/plan/exposed-key-identify';
import { planContainment, planRevocation } from '../../src/respond/plan/exposed-key-plan';
import { revokeOlderSessionsPolicy } from '../../src/respond/plan/exposed-key-policies';
import type { ExposedKeyCase, IdentifyFacts } from '../../src/respond/plan/exposed-key-types';
import { accessKeyInvestigation } from '../../src/trail/detect/access-key';
import { trustedAdvisorEvent } from './fixtures';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const ACCOUNT = '111122223333';

const caseOf = (userName?: string): ExposedKeyCase => {
  const parsed = parseExposedKeyEvent(
    trustedAdvisorEvent({ accessKeyId: KEY, userName: userName ?? '', account: ACCOUNT }),
  );
  if (!parsed.ok) throw new Error(parsed.problem.reason);
  return parsed.case;
};

const facts = (over: Partial<IdentifyFacts> = {}): IdentifyFacts => ({
  callerAccount: known(ACCOUNT),
  owner: known({ found: true, root: false, userName: 'alice' }),
  status: known('Active'),
  ...over,
});

const unreachable: IdentifyFacts = {
  callerAccount: unknown('AWS not reachable'),
  owner: unknown('AWS not reachable'),
  status: unknown('AWS not reachable'),
};

const emptyInvestigation = (over: Partial<InvestigationSummary> = {}): InvestigationSummary => ({
  ...summariseInvestigation(
    { key: accessKeyInvestigation(KEY).finish(), footholds: [] },
    { window: {}, source: 'test', problems: [] },
  ),
  ...over,
});

describe('identify', () => {
  it('IAM names the user when the event does not, and wins when they disagree', () => {
    expect(identifyKey(caseOf(), facts())).toMatchObject({ userName: 'alice', status: 'Active', root: false });
    const disagree = identifyKey(caseOf('bob'), facts());
    expect(disagree.userName).toBe('alice');
    expect(disagree.notes).toContain('the event names user bob but IAM says the key belongs to alice: alice is used');
    expect(disagree.blocked).toBeUndefined();
    expect(disagree.userArn).toBe(`arn:aws:iam::${ACCOUNT}:user/alice`);
  });

  it('a root key is blocked with the manual procedure', () => {
    const root = identifyKey(caseOf(), facts({ owner: known({ found: true, root: true }) }));
    expect(root.root).toBe(true);
    expect(root.blocked).toContain("the key is the root user's");
    expect(root.userArn).toBe(`arn:aws:iam::${ACCOUNT}:root`);
  });

  it('a key of another account is not acted on', () => {
    const other = identifyKey(caseOf('alice'), facts({ callerAccount: known('999988887777') }));
    expect(other.blocked).toBe(
      `the key belongs to account ${ACCOUNT} but keywarden runs in account 999988887777: run the response with credentials of account ${ACCOUNT}`,
    );
  });

  it('a key IAM does not know is already deleted', () => {
    expect(identifyKey(caseOf('alice'), facts({ owner: known({ found: false }) })).status).toBe('deleted');
  });

  it('with AWS unreachable the event alone still names the user, with notes', () => {
    const id = identifyKey(caseOf('alice'), unreachable);
    expect(id).toMatchObject({ userName: 'alice', status: 'unknown' });
    expect(id.blocked).toBeUndefined();
    expect(id.notes).toHaveLength(3);
    expect(identifyKey(caseOf(), unreachable).blocked).toContain("the key's IAM user is unknown");
  });

  it('marks a throttled read as retryable', () => {
    const throttled = identifyKey(
      caseOf('alice'),
      facts({ owner: { ok: false, reason: 'Throttling', retryable: true } }),
    );
    expect(throttled.retryable).toBe(true);
  });
});

describe('contain plan', () => {
  it('contain: deactivate the key, quarantine the user, with stable idempotency keys', () => {
    const found = caseOf('alice');
    const plan = planContainment(found, identifyKey(found, facts()), 'contain');
    expect(plan.actions.map((a) => [a.kind, a.awsCall, a.target, a.idempotencyKey])).toEqual([
      ['deactivate-key', 'iam:UpdateAccessKey', KEY, `exposed-key/${ACCOUNT}/${KEY}/deactivate-key/${KEY}`],
      [
        'attach-quarantine-policy',
        'iam:AttachUserPolicy',
        'alice',
        `exposed-key/${ACCOUNT}/${KEY}/attach-quarantine-policy/alice`,
      ],
    ]);
    const quarantine = plan.actions[1];
    expect(quarantine?.kind === 'attach-quarantine-policy' && quarantine.policyArns).toEqual([
      'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV4',
      'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3',
    ]);
    expect(plan.skipped).toEqual([]);
  });

  it('notify: nothing on AWS, the commands for a human', () => {
    const found = caseOf('alice');
    const plan = planContainment(found, identifyKey(found, facts()), 'notify');
    expect(plan.actions).toEqual([]);
    expect(plan.skipped.map((s) => s.reason)).toEqual([
      'mode notify: keywarden changes nothing',
      'mode notify: keywarden changes nothing',
    ]);
    expect(plan.manual[0]?.steps).toContain(
      `aws iam update-access-key --user-name alice --access-key-id ${KEY} --status Inactive`,
    );
  });

  it('root: nothing on AWS, the manual root procedure', () => {
    const found = caseOf('root');
    const plan = planContainment(
      found,
      identifyKey(found, facts({ owner: known({ found: true, root: true }) })),
      'contain-and-delete',
    );
    expect(plan.actions).toEqual([]);
    expect(plan.manual[0]?.title).toBe(`Deactivate and delete the root user's access key ${KEY} by hand`);
    expect(plan.manual[0]?.steps.join('\n')).toContain('IAMDeleteRootUserCredentials');
  });

  it('a deleted key: nothing to contain', () => {
    const found = caseOf('alice');
    const plan = planContainment(found, identifyKey(found, facts({ status: known('deleted') })), 'contain');
    expect(plan.actions).toEqual([]);
    expect(plan.skipped[0]?.reason).toBe('the key no longer exists: it was already deleted');
  });

  it('unknown user (older Health event, AWS unreachable): the plan says what it would do once the user is known', () => {
    const found = caseOf();
    const plan = planContainment(found, identifyKey(found, unreachable), 'contain');
    expect(plan.actions).toEqual([]);
    expect(plan.manual[0]?.steps[0]).toBe(
      `Find the key's user: aws iam get-access-key-last-used --access-key-id ${KEY} (UserName in the answer).`,
    );
  });
});

describe('revocation plan', () => {
  const found = caseOf('alice');
  const identified = identifyKey(found, facts());
  const NOW = '2024-06-01T12:00:00Z';
  const roles = (...arns: string[]) =>
    arns.map((roleArn) => ({ roleArn, times: 1, first: NOW, last: NOW, sessions: [] }));

  it('denies the older sessions of each role the key assumed in this account', () => {
    const plan = planRevocation({
      found,
      identified,
      investigation: emptyInvestigation({
        rolesAssumed: roles(
          `arn:aws:iam::${ACCOUNT}:role/Deploy`,
          `arn:aws:iam::${ACCOUNT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`,
          'arn:aws:iam::444455556666:role/Partner',
        ),
        sessions: [{ accessKeyId: 'ASIAIOSFODNN7SESSION', eventName: 'GetSessionToken', time: NOW }],
      }),
      mode: 'contain',
      now: NOW,
    });
    expect(plan.actions.map((a) => [a.kind, a.target])).toEqual([
      ['revoke-role-sessions', `arn:aws:iam::${ACCOUNT}:role/Deploy`],
      ['revoke-user-sessions', 'alice'],
    ]);
    const role = plan.actions[0];
    expect(role?.kind === 'revoke-role-sessions' && [role.roleName, role.policyName]).toEqual([
      'Deploy',
      'AWSRevokeOlderSessions',
    ]);
    expect(plan.skipped.map((s) => [s.kind, s.reason])).toEqual([
      ['revoke-role-sessions', "a service-linked role's sessions cannot be revoked"],
      ['delete-key', expect.stringContaining('mode contain keeps the deactivated key')],
    ]);
    expect(plan.manual.map((m) => m.title)).toEqual([
      'Revoke the sessions of role arn:aws:iam::444455556666:role/Partner the key assumed',
      `Delete ${KEY} once nothing legitimate uses it`,
    ]);
  });

  it('deletes only in contain-and-delete, and only once the whole activity was read', () => {
    const complete = planRevocation({
      found,
      identified,
      investigation: emptyInvestigation(),
      mode: 'contain-and-delete',
      now: NOW,
    });
    expect(complete.actions.map((a) => [a.kind, a.awsCall, a.irreversible])).toEqual([
      ['delete-key', 'iam:DeleteAccessKey', true],
    ]);
    const incomplete = planRevocation({
      found,
      identified,
      investigation: emptyInvestigation({
        complete: false,
        problems: ['lookup:eu-west-1 AccessKeyId=x: LookupEvents failed: ThrottlingException'],
      }),
      mode: 'contain-and-delete',
      now: NOW,
    });
    expect(incomplete.actions).toEqual([]);
    expect(incomplete.skipped[0]?.reason).toContain(
      "the investigation could not read all of the key's activity (lookup:eu-west-1",
    );
  });

  it('notify mode and blocked keys revoke nothing', () => {
    const plan = planRevocation({
      found,
      identified,
      investigation: emptyInvestigation({ rolesAssumed: roles(`arn:aws:iam::${ACCOUNT}:role/Deploy`) }),
      mode: 'notify',
      now: NOW,
    });
    expect(plan.actions).toEqual([]);
    expect(plan.skipped.map((s) => s.kind)).toEqual(['revoke-role-sessions', 'delete-key']);
  });
});

describe('the revoke-older-sessions policy', () => {
  const cutoff = '2024-06-01T12:00:00Z';
  const parsed = parsePolicyText(revokeOlderSessionsPolicy(cutoff));
  const decide = (context: Record<string, string>) => {
    if (!parsed.ok) throw new Error('policy does not parse');
    return evaluate(parsed.policy, {
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/Deploy/attacker`,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bucket/object',
      context,
    }).decision;
  };

  it('denies sessions issued before the cut-off, not those after it, nor long-term keys', () => {
    expect(parsed.ok).toBe(true);
    expect(decide({ 'aws:TokenIssueTime': '2024-06-01T10:14:00Z' })).toBe('explicit-deny');
    expect(decide({ 'aws:TokenIssueTime': '2024-06-01T12:00:01Z' })).toBe('implicit-deny');
    expect(decide({})).toBe('implicit-deny');
  });
});
