/**
 * Separation of duties, judged per principal (corpus README, "separationOfDuties"): no principal other than an
 * account may both use and administer the key. A candidate's actions: the Allow statements listing it (conditions
 * ignored; NotAction = every other KMS action) plus its grants' operations, minus the unconditional Deny statements
 * listing it or "*".
 */
import { normalisePrincipal } from '../policy';
import type { ParsedPolicy, Statement } from '../policy/types';
import type { SeparationOfDuties } from './access-map';
import { actionsOf, type Mask, maskOfActions, statementMask } from './action-mask';
import { sodAdminActions, sodUseActions } from './actions';
import type { Grant } from './snapshot';

const USE: Mask = maskOfActions(sodUseActions);
const ADMIN: Mask = maskOfActions(sodAdminActions);
/** `a.localeCompare(b)` without building a collator per call. */
const byLocale = new Intl.Collator();
const isAccount = (e: string): boolean => /^\d{12}$/.test(e) || /^arn:[\w-]+:iam::[^:]+:root$/.test(e);

const listed = (s: Statement): string[] => [
  ...(s.principal?.anyone ? ['*'] : []),
  ...(s.principal?.aws ?? []).map(normalisePrincipal),
  ...(s.principal?.service ?? []),
];

function give(actions: Map<string, Mask>, principal: string, mask: Mask): void {
  if (!isAccount(principal)) actions.set(principal, (actions.get(principal) ?? 0n) | mask);
}

export function separationOfDuties(policy: ParsedPolicy, grants: readonly Grant[]): SeparationOfDuties {
  const actions = new Map<string, Mask>();
  for (const s of policy.statements) {
    // The principals listed() names, in its order, without building the list.
    if (s.effect !== 'Allow' || !s.principal) continue;
    const mask = statementMask(s);
    if (s.principal.anyone) give(actions, '*', mask);
    for (const e of s.principal.aws) give(actions, normalisePrincipal(e), mask);
    for (const e of s.principal.service) give(actions, e, mask);
  }
  for (const g of grants)
    if (g.GranteePrincipal)
      give(actions, normalisePrincipal(g.GranteePrincipal), maskOfActions(g.Operations.map((o) => `kms:${o}`)));
  for (const s of policy.statements) {
    if (s.effect !== 'Deny' || s.conditions.length > 0) continue;
    const denied = statementMask(s);
    const who = listed(s);
    for (const principal of actions.keys())
      if (who.includes('*') || who.includes(principal)) actions.set(principal, actions.get(principal)! & ~denied);
  }
  const violators: SeparationOfDuties['violators'] = [];
  for (const principal of actions.keys()) {
    const mask = actions.get(principal)!;
    if ((mask & USE) !== 0n && (mask & ADMIN) !== 0n)
      violators.push({ principal, useActions: actionsOf(mask & USE), adminActions: actionsOf(mask & ADMIN) });
  }
  if (violators.length > 1) violators.sort((a, b) => byLocale.compare(a.principal, b.principal));
  return { ok: violators.length === 0, violators };
}
