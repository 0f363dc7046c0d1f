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

import type { Caller } from '../policy';
import { parseCaller, principalMatches } from '../policy';
import { maskOfActions } from './action-mask';
import { classesOf, isCrossAccountAction, KEY_ACTIONS } from './actions';
import { bestOutcome, decideThroughStages, type Outcome, Solver } from './bilateral-decide';
import {
  canPass,
  fixedContext,
  isServiceLinkedRole,
  type KeyEntry,
  type KeyStatement,
  keyEntry,
  keyStatements,
  type OrgContext,
  organizationIdOf,
  type PrincipalStages,
  principalStages,
  stagesFor,
} from './bilateral-principal';
import { type Access, allEntries, shareable, signature } from './bilateral-share';
import { type Entry, organizationStage, type Stage } from './bilateral-stages';
import {
  type AccountIamInput,
  type BilateralAccess,
  type BilateralKeyInput,
  type BilateralOptions,
  type ClassAccess,
  createBilateralCache,
  IAM_ACCESS_CLASSES,
  type IamAccessClass,
  type IdentityInput,
  type PrincipalIamAccess,
} from './bilateral-types';

export { isServiceLinkedRole, organizationIdOf } from './bilateral-principal';

/** The key actions of the four classes asked about (read-only actions are left out). */
export const EVALUATED_ACTIONS: readonly string[] = KEY_ACTIONS.filter((a) =>
  classesOf(a).some((c) => (IAM_ACCESS_CLASSES as readonly string[]).includes(c)),
);
const BITS = new Map(EVALUATED_ACTIONS.map((a) => [a, maskOfActions([a])]));
const RETIRE_GRANT = 'kms:RetireGrant'; // not governed by RCPs (AWS KMS Developer Guide, "Resource control policies")

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
  memo: Map<string, Access>,
): PrincipalIamAccess | undefined {
  const caller = parseCaller(p.arn);
  const external = view.account !== key.account;
  const keyAllows: KeyEntry[] = [];
  const keyDenies: Entry[] = [];
  for (const k of statements) {
    if (!principalMatches(k.statement, caller)) continue;
    if (k.statement.effect === 'Deny')
      keyDenies.push({
        mask: k.mask,
        clause: { conditions: k.statement.conditions, ref: k.ref },
        source: k.source,
      });
    else keyAllows.push(keyEntry(k, caller, external));
  }
  if (keyAllows.length === 0) return undefined;
  const ps = principalStages(p, view, key, caller, options);
  if (!canPass(keyAllows, ps)) return undefined;
  const rcpHere = isServiceLinkedRole(p) ? undefined : rcp;
  const fixed = fixedContext(p, view, org);
  const sig = shareable(keyAllows, keyDenies, ps, rcpHere)
    ? signature(p, view, external, keyAllows, keyDenies, ps, rcpHere, fixed)
    : undefined;
  let access = sig !== undefined ? memo.get(sig) : undefined;
  if (!access) {
    access = accessOf(keyAllows, keyDenies, ps, rcpHere, external, new Solver(fixed));
    if (sig !== undefined) memo.set(sig, access);
  }
  if (Object.keys(access).length === 0) return undefined;
  return { principal: p.arn, kind: p.kind as 'user' | 'role', name: p.name, account: view.account, external, access };
}

function accessOf(
  keyAllows: readonly KeyEntry[],
  keyDenies: Entry[],
  ps: PrincipalStages,
  rcpHere: Stage | undefined,
  external: boolean,
  solver: Solver,
): Access {
  const access: Access = {};
  // The ways in (directly, through the account...), each with its stages, built once per principal.
  const ways = new Map<string, { allows: KeyEntry[]; stages?: Stage[]; stagesNoRcp?: Stage[] }>();
  for (const k of keyAllows) {
    const way = `${k.needsIdentity}|${k.needsBoundary}`;
    const w = ways.get(way);
    if (w) w.allows.push(k);
    else ways.set(way, { allows: [k] });
  }
  const stagesOf = (w: { allows: KeyEntry[]; stages?: Stage[]; stagesNoRcp?: Stage[] }, withRcp: boolean): Stage[] => {
    const { needsIdentity, needsBoundary } = w.allows[0]!;
    if (withRcp) {
      if (!w.stages) w.stages = stagesFor(w.allows, keyDenies, ps, rcpHere, needsIdentity, needsBoundary);
      return w.stages;
    }
    if (!w.stagesNoRcp) w.stagesNoRcp = stagesFor(w.allows, keyDenies, ps, undefined, needsIdentity, needsBoundary);
    return w.stagesNoRcp;
  };
  // Actions that the same statements cover in every layer get the same outcome: decide once per such group.
  const entries = allEntries(keyAllows, keyDenies, ps, rcpHere);
  const decided = new Map<string, Outcome | undefined>();
  for (const action of EVALUATED_ACTIONS) {
    const bit = BITS.get(action)!;
    if (external && !isCrossAccountAction(action)) continue;
    let group = action === RETIRE_GRANT ? 'r' : '';
    for (let i = 0; i < entries.length; i++) if ((entries[i]!.mask & bit) !== 0n) group += `${i},`;
    if (!decided.has(group)) {
      const outcomes: Outcome[] = [];
      for (const w of ways.values()) {
        if (!w.allows.some((k) => (k.mask & bit) !== 0n)) continue;
        outcomes.push(decideThroughStages(stagesOf(w, action !== RETIRE_GRANT), bit, solver));
      }
      decided.set(group, outcomes.length > 0 ? bestOutcome(outcomes) : undefined);
    }
    const outcome = decided.get(group);
    if (outcome) record(access, action, outcome);
  }
  for (const cls of IAM_ACCESS_CLASSES) {
    const a = access[cls];
    if (!a) continue;
    if (a.actions.length === 0) a.conditional = false;
    if (a.actions.length === 0 && a.unknownActions.length === 0 && a.limited.length === 0) delete access[cls];
  }
  return access;
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
  const cache = options.cache ?? createBilateralCache();
  const text = JSON.stringify(key.policy.document);
  let tag = cache.policies.get(text);
  if (tag === undefined) {
    tag = cache.policies.size;
    cache.policies.set(text, tag);
  }
  if (cache.results.size > 100_000) cache.results.clear();
  const statements = keyStatements(key, String(tag));
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
      const result = evaluatePrincipal(key, statements, p, view, rcp, options, org, cache.results);
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
