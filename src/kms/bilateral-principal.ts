/**
 * One principal and one key, prepared for the bilateral decision: how each key policy statement reaches the
 * principal (directly, or only through its account), the context its identity fixes, and the layers its request
 * passes (identity policies, permissions boundary, SCPs; the key's RCPs come from the caller).
 */
import { type Caller, isAccountId, principalMatches } from '../policy';
import type { Statement } from '../policy/types';
import { type Mask, statementMask } from './action-mask';
import type { FixedContext } from './bilateral-search';
import {
  coversResource,
  type Entry,
  entriesOf,
  organizationStage,
  preparePolicy,
  type Stage,
} from './bilateral-stages';
import type { AccountIamInput, BilateralKeyInput, BilateralOptions, IdentityInput, PolicyRef } from './bilateral-types';
import { grantStatements, isGrantStatement } from './grants';

const isAccountEntry = (e: string): boolean => isAccountId(e) || /^arn:[^:]+:iam::[^:]+:root$/.test(e);
export const isServiceLinkedRole = (p: { kind: string; path: string }): boolean =>
  p.kind === 'role' && p.path.startsWith('/aws-service-role/');

export interface KeyEntry extends Entry {
  needsIdentity: boolean;
  needsBoundary: boolean;
}

export interface KeyStatement {
  statement: Statement;
  mask: Mask;
  ref: PolicyRef;
  /** Which statement of which key policy (grants: of which key), for sharing results. */
  source: string;
}

/** The key policy statements and grants that cover the key; `tag` names the policy text (same text, same tag). */
export function keyStatements(key: BilateralKeyInput, tag: string): KeyStatement[] {
  const all = [...key.policy.statements, ...grantStatements(key.grants ?? [])];
  return all
    .filter((s) => coversResource(s, key.arn))
    .map((statement) => {
      const grant = isGrantStatement(statement);
      const ref: PolicyRef = grant
        ? {
            layer: 'grant',
            name: statement.sid?.replace(/^grant /, '') ?? statement.pointer,
            pointer: statement.pointer,
          }
        : { layer: 'key-policy', name: 'key policy', pointer: statement.pointer };
      if (!grant && statement.sid) ref.sid = statement.sid;
      const source = grant ? `${key.arn}${statement.pointer}` : `k${tag}${statement.pointer}`;
      return { statement, mask: statementMask(statement), ref, source };
    });
}

/** How a key policy Allow statement reaches the caller: directly (its ARN, `"*"`) or only through its account. */
export function keyEntry(k: KeyStatement, caller: Caller, external: boolean): KeyEntry {
  const s = k.statement;
  const entry = { mask: k.mask, clause: { conditions: s.conditions, ref: k.ref }, source: k.source };
  if (external) return { ...entry, needsIdentity: true, needsBoundary: true };
  if (isGrantStatement(s)) return { ...entry, needsIdentity: false, needsBoundary: false };
  if (s.notPrincipal || s.principal?.anyone) return { ...entry, needsIdentity: false, needsBoundary: false };
  const named = { ...s, principal: { ...s.principal!, aws: s.principal!.aws.filter((e) => !isAccountEntry(e)) } };
  if (principalMatches(named, caller)) return { ...entry, needsIdentity: false, needsBoundary: caller.kind === 'role' };
  return { ...entry, needsIdentity: true, needsBoundary: true };
}

/** The Organization's id, from the ARN of a customer SCP or RCP (`.../policy/o-xxxx/...`), when one names it. */
export function organizationIdOf(view: AccountIamInput | undefined): string | undefined {
  const org = view?.organization;
  if (!org) return undefined;
  for (const set of [org.serviceControlPolicies, org.resourceControlPolicies]) {
    if (set.status !== 'enabled') continue;
    for (const level of set.levels)
      for (const policy of level.policies) {
        const m = /:policy\/(o-[a-z0-9]{10,32})\//.exec(policy.arn ?? '');
        if (m) return m[1];
      }
  }
  return undefined;
}

/**
 * Principal-derived context. aws:PrincipalOrgID: a member account's principals carry the Organization's id (when
 * known); an account outside the key's Organization carries none; otherwise the request may carry any.
 */
export function fixedContext(p: IdentityInput, view: AccountIamInput, org: OrgContext): FixedContext {
  const account = view.account;
  const member = view.organization !== undefined || org.members.has(account);
  const orgId =
    member && org.id
      ? { 'aws:principalorgid': org.id }
      : !member && org.keyInOrganization
        ? { 'aws:principalorgid': undefined, 'aws:principalorgpaths': undefined }
        : {};
  return {
    ...orgId,
    'aws:principalaccount': account,
    'kms:calleraccount': account,
    'aws:principalarn': p.arn,
    'aws:principalisawsservice': 'false',
    'aws:principaltype': p.kind === 'user' ? 'User' : 'AssumedRole',
    'aws:username': p.kind === 'user' ? p.name : undefined,
    'aws:principalservicename': undefined,
    'aws:sourceaccount': undefined,
    'aws:sourcearn': undefined,
    'aws:sourceorgid': undefined,
    'aws:sourceorgpaths': undefined,
  };
}

export interface OrgContext {
  id: string | undefined;
  members: ReadonlySet<string>;
  /** The key's account was read with its Organization's policies. */
  keyInOrganization: boolean;
}

export interface PrincipalStages {
  identity: Omit<Stage, 'required' | 'levels'> & { allows: Entry[]; policies: PolicyRef[] };
  boundary?: Omit<Stage, 'required' | 'levels'> & { allows: Entry[]; policies: PolicyRef[] };
  scp?: Stage;
}

export function principalStages(
  p: IdentityInput,
  view: AccountIamInput,
  key: BilateralKeyInput,
  caller: Caller,
  options: BilateralOptions,
) {
  const identity: PrincipalStages['identity'] = {
    layer: 'identity',
    allows: [],
    denies: [],
    unreadable: [],
    policies: [],
  };
  let boundary: PrincipalStages['boundary'];
  for (const policy of p.policies) {
    const isBoundary = policy.kind === 'permissions-boundary';
    const base: PolicyRef = {
      layer: isBoundary ? 'permissions-boundary' : 'identity',
      name: policy.name,
      ...(policy.arn ? { arn: policy.arn } : {}),
      ...(policy.viaGroup ? { viaGroup: policy.viaGroup } : {}),
    };
    if (isBoundary && !boundary)
      boundary = { layer: 'permissions-boundary', allows: [], denies: [], unreadable: [], policies: [] };
    const target = isBoundary && boundary ? boundary : identity;
    const e = entriesOf(preparePolicy(policy.document, policy.error, key.arn), base, caller);
    target.allows.push(...e.allows);
    target.denies.push(...e.denies);
    target.policies.push(base);
    if (e.unreadable) target.unreadable.push(e.unreadable);
  }
  const exemptFromScp = isServiceLinkedRole(p) || view.account === options.managementAccount;
  const scp = exemptFromScp
    ? undefined
    : organizationStage('scp', view.organization?.serviceControlPolicies, key.arn, caller);
  return { identity, boundary, scp };
}

export function stagesFor(
  keyAllows: KeyEntry[],
  keyDenies: Entry[],
  ps: PrincipalStages,
  rcp: Stage | undefined,
  needsIdentity: boolean,
  needsBoundary: boolean,
): Stage[] {
  const stages: Stage[] = [
    {
      layer: 'key-policy',
      required: true,
      levels: [{ allows: keyAllows, policies: [{ layer: 'key-policy', name: 'key policy' }] }],
      denies: keyDenies,
      unreadable: [],
    },
    {
      ...ps.identity,
      required: needsIdentity,
      levels: needsIdentity ? [{ allows: ps.identity.allows, policies: ps.identity.policies }] : [],
    },
  ];
  if (ps.boundary)
    stages.push({
      ...ps.boundary,
      required: needsBoundary,
      levels: needsBoundary ? [{ allows: ps.boundary.allows, policies: ps.boundary.policies }] : [],
    });
  if (ps.scp) stages.push(ps.scp);
  if (rcp) stages.push(rcp);
  return stages;
}

/**
 * Cheap pre-check: when every way in needs an identity policy and none of the principal's identity policies allows a
 * KMS action the key policy gives (and all of them could be read), nothing can pass.
 */
export function canPass(keyAllows: readonly KeyEntry[], ps: PrincipalStages): boolean {
  if (keyAllows.some((k) => !k.needsIdentity) || ps.identity.unreadable.length > 0) return true;
  let keyMask = 0n;
  for (const k of keyAllows) keyMask |= k.mask;
  let iamMask = 0n;
  for (const e of ps.identity.allows) iamMask |= e.mask;
  return (keyMask & iamMask) !== 0n;
}
