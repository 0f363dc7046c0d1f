/**
 * Sharing results between principals: users and roles with the same statements in every layer, and no condition on
 * who they are, get the same answer for a key; most roles of an account share a few managed policies.
 */

import type { KeyEntry, PrincipalStages } from './bilateral-principal';
import type { FixedContext } from './bilateral-search';
import type { Entry, Stage } from './bilateral-stages';
import type { AccountIamInput, ClassAccess, IamAccessClass, IdentityInput } from './bilateral-types';

export type Access = Partial<Record<IamAccessClass, ClassAccess>>;

/**
 * Keys whose value differs between principals of one account and kind: a condition on them rules out sharing a
 * result. (Account, org id, principal type and service-ness are in the signature; tags are the request's to choose.)
 */
const PERSONAL = /^(aws:principalarn|aws:username|aws:userid)$/;

export function allEntries(
  keyAllows: readonly Entry[],
  keyDenies: readonly Entry[],
  ps: PrincipalStages,
  rcp: Stage | undefined,
) {
  const stages = [ps.scp, rcp].filter((x): x is Stage => x !== undefined);
  return [
    ...keyAllows,
    ...keyDenies,
    ...ps.identity.allows,
    ...ps.identity.denies,
    ...(ps.boundary ? [...ps.boundary.allows, ...ps.boundary.denies] : []),
    ...stages.flatMap((st) => [...st.denies, ...st.levels.flatMap((l) => l.allows)]),
  ];
}

export function shareable(
  keyAllows: readonly Entry[],
  keyDenies: readonly Entry[],
  ps: PrincipalStages,
  rcp: Stage | undefined,
) {
  return allEntries(keyAllows, keyDenies, ps, rcp).every((e) =>
    e.clause.conditions.every((c) => !PERSONAL.test(c.key.toLowerCase())),
  );
}

/** Principals with the same statements in every layer (and no condition on who they are) get the same result. */
export function signature(
  p: IdentityInput,
  view: AccountIamInput,
  external: boolean,
  keyAllows: readonly KeyEntry[],
  keyDenies: readonly Entry[],
  ps: PrincipalStages,
  rcp: Stage | undefined,
  fixed: FixedContext,
): string {
  const refs = (list: readonly Entry[]) =>
    list.map((e) => `${e.source}@${e.clause.ref.name}/${e.clause.ref.viaGroup ?? ''}`).join(',');
  const stage = (st: Stage | undefined) =>
    st
      ? `${st.levels.map((l) => `${refs(l.allows)}:${l.policies.map((r) => r.name).join('+')}`).join(';')}|${refs(st.denies)}|${st.unreadable.join(';')}`
      : '-';
  return [
    view.account,
    external,
    p.kind,
    String(fixed['aws:principalorgid']),
    keyAllows.map((k) => `${k.source}${k.needsIdentity ? 'i' : ''}${k.needsBoundary ? 'b' : ''}`).join(','),
    refs(keyDenies),
    refs(ps.identity.allows),
    refs(ps.identity.denies),
    ps.identity.unreadable.join(';'),
    ps.identity.policies.map((r) => `${r.name}/${r.viaGroup ?? ''}`).join(','),
    ps.boundary
      ? `${refs(ps.boundary.allows)}|${refs(ps.boundary.denies)}|${ps.boundary.unreadable.join(';')}|${ps.boundary.policies.map((r) => r.name).join(',')}`
      : '-',
    stage(ps.scp),
    stage(rcp),
  ].join('\n');
}
