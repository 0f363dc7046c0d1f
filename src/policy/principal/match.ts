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

interface AccountEntry {
  account: string;
  partition?: string;
}

interface RoleEntry extends AccountEntry {
  roleName: string;
}

interface CompiledPrincipals {
  anyone: boolean;
  accounts: AccountEntry[];
  roles: RoleEntry[];
  /** AWS entries compared as written: user and session ARNs, other ARNs. */
  exact: Set<string>;
  services: Set<string>;
  federated: Set<string>;
  canonicalUsers: Set<string>;
}

const compiled = new WeakMap<PrincipalSet, CompiledPrincipals>();

function compile(set: PrincipalSet): CompiledPrincipals {
  let c = compiled.get(set);
  if (c !== undefined) return c;
  c = {
    anyone: set.anyone,
    accounts: [],
    roles: [],
    exact: new Set(),
    services: new Set(set.service.map((s) => s.toLowerCase())),
    federated: new Set(set.federated),
    canonicalUsers: new Set(set.canonicalUser),
  };
  for (const entry of set.aws) {
    if (entry === '*') {
      c.anyone = true;
      continue;
    }
    if (isAccountId(entry) || isAccountIdPlaceholder(entry)) {
      c.accounts.push({ account: entry });
      continue;
    }
    const arn = parseArn(entry);
    if (arn?.service === 'iam' && arn.resource === 'root') {
      c.accounts.push({ account: arn.account, partition: arn.partition });
      continue;
    }
    if (arn?.service === 'iam' && arn.resource.startsWith('role/')) {
      const roleName = arn.resource.slice(arn.resource.lastIndexOf('/') + 1);
      c.roles.push({ account: arn.account, partition: arn.partition, roleName });
    }
    c.exact.add(entry);
  }
  compiled.set(set, c);
  return c;
}

function samePartition(entry: AccountEntry, caller: Caller): boolean {
  return entry.partition === undefined || caller.partition === undefined || entry.partition === caller.partition;
}

function accountListed(c: CompiledPrincipals, caller: Caller): boolean {
  if (caller.account === undefined) return false;
  for (const entry of c.accounts) if (entry.account === caller.account && samePartition(entry, caller)) return true;
  return false;
}

function roleListed(c: CompiledPrincipals, caller: Caller): boolean {
  if (caller.roleName === undefined || caller.account === undefined) return false;
  for (const entry of c.roles) {
    if (entry.roleName === caller.roleName && entry.account === caller.account && samePartition(entry, caller)) {
      return true;
    }
  }
  return false;
}

function identityListed(c: CompiledPrincipals, caller: Caller): boolean {
  if (caller.kind === 'service') return c.services.has(caller.name!.toLowerCase());
  if (caller.kind === 'federated') return c.federated.has(caller.arn ?? caller.name!);
  if (caller.arn === undefined)
    return caller.name !== undefined && (c.canonicalUsers.has(caller.name) || c.exact.has(caller.name));
  return c.exact.has(caller.arn);
}

/** Rule 2: does some entry of the set cover the caller? */
export function principalSetCovers(set: PrincipalSet, caller: Caller): boolean {
  const c = compile(set);
  if (c.anyone) return true;
  switch (caller.kind) {
    case 'anonymous':
      return false;
    case 'service':
    case 'federated':
      return identityListed(c, caller);
    case 'role':
    case 'session':
      return accountListed(c, caller) || roleListed(c, caller) || identityListed(c, caller);
    default:
      return accountListed(c, caller) || identityListed(c, caller);
  }
}

/** Rule 3 for Deny + NotPrincipal: is every level of the caller listed? */
export function principalSetListsEveryLevel(set: PrincipalSet, caller: Caller): boolean {
  const c = compile(set);
  if (c.anyone) return true;
  switch (caller.kind) {
    case 'anonymous':
      return false;
    case 'account':
      return accountListed(c, caller);
    case 'user':
      return accountListed(c, caller) && identityListed(c, caller);
    case 'role':
      return accountListed(c, caller) && roleListed(c, caller);
    case 'session':
      return accountListed(c, caller) && roleListed(c, caller) && identityListed(c, caller);
    case 'service':
    case 'federated':
      return identityListed(c, caller);
    default:
      return caller.account === undefined
        ? identityListed(c, caller)
        : accountListed(c, caller) && identityListed(c, caller);
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
