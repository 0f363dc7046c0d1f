/**
 * Bilateral access (issue 4, item 7): which users and roles can use, administer, manage grants on and change the
 * policy of a key, when the key policy AND their IAM side are both taken into account. Pure; same engine as the
 * key-policy analysis. Semantics (docs/iam-side.md):
 *
 * - the key policy (or a grant) must allow, directly or through the account principal;
 * - through the account principal, and always for another account's principal, an identity policy must allow too
 *   (resource = the key ARN); a role's sessions count as the role;
 * - a permissions boundary must allow what comes through IAM or a key policy statement naming the role ARN (a
 *   statement naming the user ARN, or `"*"`, is not limited by the boundary's implicit deny);
 * - SCPs (principal's account) and RCPs (key's account) must allow at every level;
 * - an explicit Deny anywhere wins; conditions count when some request can meet them ("with conditions");
 * - a policy that could not be read makes the result unknown, never allowed or denied silently.
 */
import { type Caller, isAccountId, parseCaller, principalMatches } from '../policy';
import type { Statement } from '../policy/types';
import { type Mask, maskOfActions, statementMask } from './action-mask';
import { classesOf, isCrossAccountAction, KEY_ACTIONS } from './actions';
import { bestOutcome, decideThroughStages, type Outcome, Solver } from './bilateral-decide';
import type { FixedContext } from './bilateral-search';
import {
  coversResource,
  type Entry,
  entriesOf,
  organizationStage,
  preparePolicy,
  type Stage,
} from './bilateral-stages';
import {
  type AccountIamInput,
  type BilateralAccess,
  type BilateralKeyInput,
  type BilateralOptions,
  type ClassAccess,
  IAM_ACCESS_CLASSES,
  type IamAccessClass,
  type IdentityInput,
  type PolicyRef,
  type PrincipalIamAccess,
} from './bilateral-types';
import { grantStatements, isGrantStatement } from './grants';

/** The key actions of the four classes asked about (read-only actions are left out). */
export const EVALUATED_ACTIONS: readonly string[] = KEY_ACTIONS.filter((a) =>
  classesOf(a).some((c) => (IAM_ACCESS_CLASSES as readonly string[]).includes(c)),
);
const BITS = new Map(EVALUATED_ACTIONS.map((a) => [a, maskOfActions([a])]));
const RETIRE_GRANT = 'kms:RetireGrant'; // not governed by RCPs (AWS KMS Developer Guide, "Resource control policies")

const isAccountEntry = (e: string): boolean => isAccountId(e) || /^arn:[^:]+:iam::[^:]+:root$/.test(e);
export const isServiceLinkedRole = (p: { kind: string; path: string }): boolean =>
  p.kind === 'role' && p.path.startsWith('/aws-service-role/');

interface KeyEntry extends Entry {
  needsIdentity: boolean;
  needsBoundary: boolean;
}

interface KeyStatement {
  statement: Statement;
  mask: Mask;
  ref: PolicyRef;
}

function keyStatements(key: BilateralKeyInput): KeyStatement[] {
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
      return { statement, mask: statementMask(statement), ref };
    });
}

/** How a key policy Allow statement reaches the caller: directly (its ARN, `"*"`) or only through its account. */
function keyEntry(k: KeyStatement, caller: Caller, external: boolean): KeyEntry {
  const s = k.statement;
  const entry = { mask: k.mask, clause: { conditions: s.conditions, ref: k.ref } };
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
function fixedContext(p: IdentityInput, view: AccountIamInput, org: OrgContext): FixedContext {
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

interface OrgContext {
  id: string | undefined;
  members: ReadonlySet<string>;
  /** The key's account was read with its Organization's policies. */
  keyInOrganization: boolean;
}

interface PrincipalStages {
  identity: Omit<Stage, 'required' | 'levels'> & { allows: Entry[]; policies: PolicyRef[] };
  boundary?: Omit<Stage, 'required' | 'levels'> & { allows: Entry[]; policies: PolicyRef[] };
  scp?: Stage;
}

function principalStages(
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

function stagesFor(
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

function emptyClass(): ClassAccess {
  return { actions: [], conditional: true, because: [], unknownActions: [], unknownReasons: [], limited: [] };
}

function classOf(access: Partial<Record<IamAccessClass, ClassAccess>>, c: IamAccessClass): ClassAccess {
  const existing = access[c];
  if (existing) return existing;
  const created = emptyClass();
  access[c] = created;
  return created;
}

function record(access: Partial<Record<IamAccessClass, ClassAccess>>, action: string, outcome: Outcome): void {
  for (const cls of classesOf(action)) {
    if (!(IAM_ACCESS_CLASSES as readonly string[]).includes(cls)) continue;
    const c = cls as IamAccessClass;
    if (outcome.kind === 'denied') {
      // Only what the key policy gives and a guard-rail (or an explicit IAM Deny) takes away is worth telling.
      const guard = outcome.layer !== 'key-policy' && outcome.layer !== 'cross-account-limit';
      if (!guard || (outcome.layer === 'identity' && !outcome.explicit)) continue;
      const a = classOf(access, c);
      const sig = JSON.stringify([outcome.layer, outcome.explicit, outcome.by]);
      const found = a.limited.find((l) => JSON.stringify([l.layer, l.explicit, l.by]) === sig);
      if (found) found.actions.push(action);
      else a.limited.push({ layer: outcome.layer, explicit: outcome.explicit, by: outcome.by, actions: [action] });
      continue;
    }
    const a = classOf(access, c);
    if (outcome.kind === 'unknown') {
      a.unknownActions.push(action);
      for (const r of outcome.reasons) if (!a.unknownReasons.includes(r)) a.unknownReasons.push(r);
      continue;
    }
    a.actions.push(action);
    if (!outcome.conditional) a.conditional = false;
    for (const r of outcome.because)
      if (!a.because.some((b) => JSON.stringify(b) === JSON.stringify(r))) a.because.push(r);
  }
}

function evaluatePrincipal(
  key: BilateralKeyInput,
  statements: KeyStatement[],
  p: IdentityInput,
  view: AccountIamInput,
  rcp: Stage | undefined,
  options: BilateralOptions,
  org: OrgContext,
): PrincipalIamAccess | undefined {
  const caller = parseCaller(p.arn);
  const external = view.account !== key.account;
  const keyAllows: KeyEntry[] = [];
  const keyDenies: Entry[] = [];
  for (const k of statements) {
    if (!principalMatches(k.statement, caller)) continue;
    if (k.statement.effect === 'Deny')
      keyDenies.push({ mask: k.mask, clause: { conditions: k.statement.conditions, ref: k.ref } });
    else keyAllows.push(keyEntry(k, caller, external));
  }
  if (keyAllows.length === 0) return undefined;
  const ps = principalStages(p, view, key, caller, options);
  const rcpHere = isServiceLinkedRole(p) ? undefined : rcp;
  const solver = new Solver(fixedContext(p, view, org));
  const access: Partial<Record<IamAccessClass, ClassAccess>> = {};
  for (const action of EVALUATED_ACTIONS) {
    const bit = BITS.get(action)!;
    const candidates = keyAllows.filter((k) => (k.mask & bit) !== 0n);
    if (candidates.length === 0) continue;
    if (external && !isCrossAccountAction(action)) continue;
    const ways = new Map<string, KeyEntry[]>();
    for (const k of candidates) {
      const way = `${k.needsIdentity}|${k.needsBoundary}`;
      ways.set(way, [...(ways.get(way) ?? []), k]);
    }
    const outcomes = [...ways.values()].map((allows) =>
      decideThroughStages(
        stagesFor(
          allows,
          keyDenies,
          ps,
          action === RETIRE_GRANT ? undefined : rcpHere,
          allows[0]!.needsIdentity,
          allows[0]!.needsBoundary,
        ),
        bit,
        solver,
      ),
    );
    record(access, action, bestOutcome(outcomes));
  }
  for (const cls of IAM_ACCESS_CLASSES) {
    const a = access[cls];
    if (!a) continue;
    if (a.actions.length === 0) a.conditional = false;
    if (a.actions.length === 0 && a.unknownActions.length === 0 && a.limited.length === 0) delete access[cls];
  }
  if (Object.keys(access).length === 0) return undefined;
  return { principal: p.arn, kind: p.kind as 'user' | 'role', name: p.name, account: view.account, external, access };
}

/** The RCP stage of a key (undefined when RCPs do not apply to it). */
export function rcpStageFor(
  key: BilateralKeyInput,
  view: AccountIamInput | undefined,
  caller: Caller,
  options: BilateralOptions,
) {
  if (key.awsManaged || key.account === options.managementAccount) return undefined;
  return organizationStage('rcp', view?.organization?.resourceControlPolicies, key.arn, caller);
}

function notesFor(key: BilateralKeyInput, accounts: readonly AccountIamInput[], options: BilateralOptions): string[] {
  const notes: string[] = [];
  if (key.grantsUnknown)
    notes.push(
      `The key's grants could not be read (${key.grantsUnknown}): principals may have more access through grants than shown.`,
    );
  if (accounts.some((a) => !a.organization))
    notes.push(
      'SCPs and RCPs were not read (run with --org from the management account or a delegated administrator to include them).',
    );
  else if (!options.managementAccount)
    notes.push(
      "SCPs and RCPs are applied to every account read; AWS exempts the Organization's management account from both.",
    );
  if (key.awsManaged) notes.push('RCPs do not apply to AWS managed keys.');
  notes.push('Results are for users and roles; a role session can be narrower (session policies), never broader.');
  return notes;
}

/** Who of the accounts' users and roles can use, administer, manage grants on and change the policy of the key. */
export function evaluateBilateral(
  key: BilateralKeyInput,
  accounts: readonly AccountIamInput[],
  options: BilateralOptions = {},
): BilateralAccess {
  const statements = keyStatements(key);
  const own = accounts.find((a) => a.account === key.account);
  const org: OrgContext = {
    id: options.organizationId ?? organizationIdOf(own) ?? accounts.map(organizationIdOf).find(Boolean),
    members: new Set(options.organizationAccounts ?? []),
    keyInOrganization: own?.organization !== undefined,
  };
  const principals: PrincipalIamAccess[] = [];
  let checked = 0;
  for (const view of accounts) {
    for (const p of view.principals) {
      if (p.kind === 'group') continue;
      checked++;
      const rcp = rcpStageFor(key, own, parseCaller(p.arn), options);
      const result = evaluatePrincipal(key, statements, p, view, rcp, options, org);
      if (result) principals.push(result);
    }
  }
  principals.sort((a, b) => (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0));
  return {
    key: key.arn,
    account: key.account,
    status: own ? 'evaluated' : 'unknown',
    ...(own ? {} : { unknownReason: `the IAM side of account ${key.account} (the key's owner) was not read` }),
    principals,
    checked,
    notes: notesFor(key, accounts, options),
  };
}
