/**
 * Separation of duties, judged per principal (corpus README, "separationOfDuties"): no principal other than an
 * account may both use and administer the key. A candidate's actions: the Allow statements listing it (conditions
 * ignored; NotAction = every other KMS action) plus its grants' operations, minus the unconditional Deny statements
 * listing it or "*".
 */
import { actionMatches, normalisePrincipal } from '../policy';
import type { ParsedPolicy, Statement } from '../policy/types';
import type { SeparationOfDuties } from './access-map';
import { KMS_ACTIONS, sodAdminActions, sodUseActions } from './actions';
import type { Grant } from './snapshot';

const ALL = KMS_ACTIONS.map((a) => a.action);
const isAccount = (e: string): boolean => /^\d{12}$/.test(e) || /^arn:[\w-]+:iam::[^:]+:root$/.test(e);

function statementActions(s: Statement): string[] {
  if (s.action) return ALL.filter((a) => actionMatches(s.action!, a));
  return ALL.filter((a) => !actionMatches(s.notAction ?? [], a));
}

const listed = (s: Statement): string[] => [
  ...(s.principal?.anyone ? ['*'] : []),
  ...(s.principal?.aws ?? []).map(normalisePrincipal),
  ...(s.principal?.service ?? []),
];

export function separationOfDuties(policy: ParsedPolicy, grants: readonly Grant[]): SeparationOfDuties {
  const actions = new Map<string, Set<string>>();
  const give = (principal: string, list: string[]) => {
    if (isAccount(principal)) return;
    const set = actions.get(principal) ?? new Set<string>();
    for (const a of list) set.add(a.toLowerCase());
    actions.set(principal, set);
  };
  for (const s of policy.statements) if (s.effect === 'Allow') for (const p of listed(s)) give(p, statementActions(s));
  for (const g of grants)
    if (g.GranteePrincipal)
      give(
        normalisePrincipal(g.GranteePrincipal),
        g.Operations.map((o) => `kms:${o}`),
      );
  for (const s of policy.statements) {
    if (s.effect !== 'Deny' || s.conditions.length > 0) continue;
    const denied = statementActions(s).map((a) => a.toLowerCase());
    const who = listed(s);
    for (const [principal, set] of actions) {
      if (who.includes('*') || who.includes(principal)) for (const a of denied) set.delete(a);
    }
  }
  const use = new Set(sodUseActions.map((a) => a.toLowerCase()));
  const admin = new Set(sodAdminActions.map((a) => a.toLowerCase()));
  const canonical = new Map(ALL.map((a) => [a.toLowerCase(), a]));
  const violators: SeparationOfDuties['violators'] = [];
  for (const [principal, set] of [...actions].sort(([a], [b]) => a.localeCompare(b))) {
    const useActions = [...set].filter((a) => use.has(a)).map((a) => canonical.get(a)!);
    const adminActions = [...set].filter((a) => admin.has(a)).map((a) => canonical.get(a)!);
    if (useActions.length > 0 && adminActions.length > 0) violators.push({ principal, useActions, adminActions });
  }
  return { ok: violators.length === 0, violators };
}
