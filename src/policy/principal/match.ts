import { parseArn } from '../match/arn';
import { isAccountIdPlaceholder } from '../placeholders';
import type { PrincipalSet, Statement } from '../types';
import { type Caller, isAccountId } from './caller';

/**
 * Principal and NotPrincipal (corpus README rules 2 and 3).
 * Rule 2: `"*"`/`{"AWS":"*"}` match every caller, anonymous included; an account entry matches every principal of
 * that account; a role ARN matches the role and its sessions (by account and role name: session ARNs carry no
 * path); a session ARN only that session; a user ARN only that user; a service name only that service.
 * Rule 3: Deny + NotPrincipal applies unless every level of the caller is listed (account + user; account + role +
 * session; account for the root user); Allow + NotPrincipal allows every caller that no entry matches under rule 2.
 */

/** An AWS principal entry, classified once per distinct string (entries repeat across policies). */
type AwsEntry =
  | { kind: 'anyone' }
  | { kind: 'account'; account: string; partition?: string }
  | { kind: 'role'; account: string; partition: string; roleName: string; text: string }
  | { kind: 'exact'; text: string };

const entries = new Map<string, AwsEntry>();

function awsEntry(text: string): AwsEntry {
  let entry = entries.get(text);
  if (entry === undefined) {
    entry = classifyEntry(text);
    if (entries.size >= 10_000) entries.clear();
    entries.set(text, entry);
  }
  return entry;
}

function classifyEntry(text: string): AwsEntry {
  if (text === '*') return { kind: 'anyone' };
  if (isAccountId(text) || isAccountIdPlaceholder(text)) return { kind: 'account', account: text };
  const arn = parseArn(text);
  if (arn?.service === 'iam' && arn.resource === 'root') {
    return { kind: 'account', account: arn.account, partition: arn.partition };
  }
  if (arn?.service === 'iam' && arn.resource.startsWith('role/')) {
    const roleName = arn.resource.slice(arn.resource.lastIndexOf('/') + 1);
    return { kind: 'role', account: arn.account, partition: arn.partition, roleName, text };
  }
  return { kind: 'exact', text };
}

function samePartition(partition: string | undefined, caller: Caller): boolean {
  return partition === undefined || caller.partition === undefined || partition === caller.partition;
}

function accountListed(set: PrincipalSet, caller: Caller): boolean {
  if (caller.account === undefined) return false;
  for (const text of set.aws) {
    const e = awsEntry(text);
    if (e.kind === 'account' && e.account === caller.account && samePartition(e.partition, caller)) return true;
  }
  return false;
}

function roleListed(set: PrincipalSet, caller: Caller): boolean {
  if (caller.roleName === undefined || caller.account === undefined) return false;
  for (const text of set.aws) {
    const e = awsEntry(text);
    if (
      e.kind === 'role' &&
      e.roleName === caller.roleName &&
      e.account === caller.account &&
      samePartition(e.partition, caller)
    ) {
      return true;
    }
  }
  return false;
}

function includesIgnoreCase(list: readonly string[], value: string): boolean {
  for (const item of list) if (item === value || item.toLowerCase() === value.toLowerCase()) return true;
  return false;
}

/** The caller's own identity (user, session, service, provider, canonical user) is listed. */
function identityListed(set: PrincipalSet, caller: Caller): boolean {
  if (caller.kind === 'service') return includesIgnoreCase(set.service, caller.name!);
  if (caller.kind === 'federated') return set.federated.includes(caller.arn ?? caller.name!);
  const identity = caller.arn ?? caller.name;
  if (identity === undefined) return false;
  if (caller.arn === undefined && set.canonicalUser.includes(identity)) return true;
  // Role entries are AWS entries too: a role caller whose exact ARN is listed.
  return set.aws.includes(identity);
}

function anyone(set: PrincipalSet): boolean {
  if (set.anyone) return true;
  for (const text of set.aws) if (text === '*') return true;
  return false;
}

/** Rule 2: does some entry of the set cover the caller? */
export function principalSetCovers(set: PrincipalSet, caller: Caller): boolean {
  if (anyone(set)) return true;
  switch (caller.kind) {
    case 'anonymous':
      return false;
    case 'service':
    case 'federated':
      return identityListed(set, caller);
    case 'role':
    case 'session':
      return accountListed(set, caller) || roleListed(set, caller) || identityListed(set, caller);
    default:
      return accountListed(set, caller) || identityListed(set, caller);
  }
}

/** Rule 3 for Deny + NotPrincipal: is every level of the caller listed? */
export function principalSetListsEveryLevel(set: PrincipalSet, caller: Caller): boolean {
  if (anyone(set)) return true;
  switch (caller.kind) {
    case 'anonymous':
      return false;
    case 'account':
      return accountListed(set, caller);
    case 'user':
      return accountListed(set, caller) && identityListed(set, caller);
    case 'role':
      return accountListed(set, caller) && roleListed(set, caller);
    case 'session':
      return accountListed(set, caller) && roleListed(set, caller) && identityListed(set, caller);
    case 'service':
    case 'federated':
      return identityListed(set, caller);
    default:
      return caller.account === undefined
        ? identityListed(set, caller)
        : accountListed(set, caller) && identityListed(set, caller);
  }
}

/**
 * Does the statement's Principal / NotPrincipal take in the caller? A statement with neither (an identity policy
 * statement) applies to its holder: true.
 */
export function principalMatches(statement: Statement, caller: Caller): boolean {
  if (statement.principal !== undefined) return principalSetCovers(statement.principal, caller);
  if (statement.notPrincipal !== undefined) {
    return statement.effect === 'Deny'
      ? !principalSetListsEveryLevel(statement.notPrincipal, caller)
      : !principalSetCovers(statement.notPrincipal, caller);
  }
  return true;
}
