import { describe, expect, it } from 'vitest';
import type { PrincipalSet, Statement } from '../types';
import { parseCaller } from './caller';
import { principalMatches } from './match';

function set(aws: string[], extra: Partial<PrincipalSet> = {}): PrincipalSet {
  return {
    anyone: false,
    aws,
    service: [],
    federated: [],
    canonicalUser: [],
    pointer: '/Statement/0/Principal',
    ...extra,
  };
}

function statement(effect: 'Allow' | 'Deny', principal: PrincipalSet, not = false): Statement {
  const s: Statement = { index: 0, pointer: '/Statement/0', effect, action: ['kms:*'], conditions: [] };
  if (not) s.notPrincipal = principal;
  else s.principal = principal;
  return s;
}

const A = '111122223333';
const user = `arn:aws:iam::${A}:user/alice`;
const role = `arn:aws:iam::${A}:role/path/Admin`;
const session = `arn:aws:sts::${A}:assumed-role/Admin/s1`;

describe('Principal (rule 2)', () => {
  it.each([
    [set(['*']), '*', true],
    [set([], { anyone: true }), '*', true],
    [set([], { anyone: true }), 'cloudtrail.amazonaws.com', true],
    [set([A]), user, true],
    [set([`arn:aws:iam::${A}:root`]), session, true],
    [set([`arn:aws:iam::${A}:root`]), `arn:aws:iam::${A}:root`, true],
    [set([`arn:aws:iam::${A}:root`]), '*', false],
    [set([`arn:aws:iam::${A}:root`]), 'arn:aws:iam::444455556666:user/alice', false],
    [set([`arn:aws-cn:iam::${A}:root`]), user, false], // another partition
    [set([role]), role, true],
    [set([role]), session, true], // the role's sessions, matched by role name (no path in session ARNs)
    [set([`arn:aws:iam::${A}:role/Admin`]), session, true],
    [set([`arn:aws:iam::${A}:role/Other`]), session, false],
    [set([session]), session, true],
    [set([session]), `arn:aws:sts::${A}:assumed-role/Admin/s2`, false],
    [set([session]), role, false],
    [set([user]), user, true],
    [set([user]), `arn:aws:iam::${A}:user/bob`, false],
    [set([user]), `arn:aws:iam::${A}:root`, false],
    [set([], { service: ['cloudtrail.amazonaws.com'] }), 'cloudtrail.amazonaws.com', true],
    [set([], { service: ['cloudtrail.amazonaws.com'] }), 'logs.amazonaws.com', false],
    [set([A]), 'cloudtrail.amazonaws.com', false],
    [set([], { federated: ['cognito-identity.amazonaws.com'] }), 'cognito-identity.amazonaws.com', true],
    [set(['{{AWS::AccountId}}']), 'arn:aws:iam::{{AWS::AccountId}}:role/App', true],
    [set(['{{AWS::AccountId}}']), user, false],
  ] as [PrincipalSet, string, boolean][])('%#: %j', (principal, caller, expected) => {
    expect(principalMatches(statement('Allow', principal), parseCaller(caller))).toBe(expected);
  });
});

describe('NotPrincipal (rule 3)', () => {
  const acct = `arn:aws:iam::${A}:root`;
  it.each([
    // Deny + NotPrincipal: applies unless every level of the caller is listed.
    ['Deny', [acct], `arn:aws:iam::${A}:root`, false],
    ['Deny', [acct], user, true], // the user ARN is not listed
    ['Deny', [acct, user], user, false],
    ['Deny', [user], user, true], // the account is not listed
    ['Deny', [acct, role], session, true], // the session is not listed
    ['Deny', [acct, role, session], session, false],
    ['Deny', [acct, role], role, false],
    ['Deny', [acct, user], '*', true], // anonymous is never listed unless "*" is
    ['Deny', ['*'], '*', false],
    // Allow + NotPrincipal: allows every caller that no entry matches under rule 2.
    ['Allow', [acct], user, false],
    ['Allow', [acct], 'arn:aws:iam::444455556666:user/x', true],
    ['Allow', [acct], '*', true],
    ['Allow', [user], `arn:aws:iam::${A}:user/bob`, true],
  ] as ['Allow' | 'Deny', string[], string, boolean][])(
    '%s NotPrincipal %j vs %j -> %s',
    (effect, aws, caller, expected) => {
      expect(principalMatches(statement(effect, set(aws), true), parseCaller(caller))).toBe(expected);
    },
  );

  it('a statement without Principal or NotPrincipal applies to its holder', () => {
    const s: Statement = { index: 0, pointer: '/Statement/0', effect: 'Allow', action: ['*'], conditions: [] };
    expect(principalMatches(s, parseCaller(user))).toBe(true);
  });
});
