/**
 * One principal, one action: walk the layers in order (key policy, identity policies, permissions boundary, SCPs,
 * RCPs) and find the first that stops the request, or allow it. Each step is a joint search over all the layers so
 * far (src/kms/bilateral-search.ts), so the layer named is the one that made the difference.
 */
import type { Mask } from './action-mask';
import { type Clause, type FixedContext, type JointResult, jointlyAllowed } from './bilateral-search';
import type { Stage } from './bilateral-stages';
import type { PolicyLayer, PolicyRef } from './bilateral-types';

export type Outcome =
  | { kind: 'allowed'; conditional: boolean; because: PolicyRef[] }
  | { kind: 'denied'; layer: PolicyLayer; explicit: boolean; by: PolicyRef[]; stage: number }
  | { kind: 'unknown'; reasons: string[] };

/** Caches joint searches of one principal (same statements, same fixed context, same answer). */
export class Solver {
  private readonly ids = new WeakMap<Clause, number>();
  private next = 0;
  private readonly results = new Map<string, JointResult>();

  constructor(private readonly fixed: FixedContext) {}

  private id(c: Clause): number {
    let id = this.ids.get(c);
    if (id === undefined) {
      id = this.next++;
      this.ids.set(c, id);
    }
    return id;
  }

  solve(groups: ReadonlyArray<readonly Clause[]>, denies: readonly Clause[]): JointResult {
    const key = `${groups.map((g) => g.map((c) => this.id(c)).join(',')).join(';')}|${denies.map((c) => this.id(c)).join(',')}`;
    let result = this.results.get(key);
    if (!result) {
      result = jointlyAllowed(groups, denies, this.fixed);
      this.results.set(key, result);
    }
    return result;
  }
}

const refKey = (r: PolicyRef): string =>
  `${r.layer}|${r.name}|${r.target ?? ''}|${r.pointer ?? ''}|${r.viaGroup ?? ''}`;

export function uniqueRefs(refs: readonly PolicyRef[]): PolicyRef[] {
  const seen = new Map<string, PolicyRef>();
  for (const r of refs) if (!seen.has(refKey(r))) seen.set(refKey(r), r);
  return [...seen.values()];
}

/** An unconditional Deny in a later stage settles what an unreadable policy left open. */
function laterFlatDeny(stages: readonly Stage[], from: number, bit: Mask): Outcome | undefined {
  for (let i = from; i < stages.length; i++) {
    const flat = stages[i]!.denies.filter((e) => (e.mask & bit) !== 0n && e.clause.conditions.length === 0);
    if (flat.length > 0)
      return {
        kind: 'denied',
        layer: stages[i]!.layer,
        explicit: true,
        by: uniqueRefs(flat.map((e) => e.clause.ref)),
        stage: i,
      };
  }
  return undefined;
}

/** Walks `stages` for the action `bit`. */
export function decideThroughStages(stages: readonly Stage[], bit: Mask, solver: Solver): Outcome {
  const groups: Clause[][] = [];
  const denies: Clause[] = [];
  const unknown: string[] = [];
  let requiredUnknown = false;
  let last: JointResult | undefined;
  for (let i = 0; i < stages.length; i++) {
    const stage = stages[i]!;
    const stageGroups = stage.levels.map((l) => l.allows.filter((e) => (e.mask & bit) !== 0n).map((e) => e.clause));
    const stageDenies = stage.denies.filter((e) => (e.mask & bit) !== 0n).map((e) => e.clause);
    const priorDenies = denies.length;
    groups.push(...stageGroups);
    denies.push(...stageDenies);
    if (stage.unreadable.length > 0) {
      unknown.push(...stage.unreadable);
      if (stage.required) requiredUnknown = true;
    }
    const result = solver.solve(groups, denies);
    if (result.ok) {
      last = result;
      continue;
    }
    const flat = stageDenies.filter((d) => d.conditions.length === 0);
    if (flat.length > 0)
      return { kind: 'denied', layer: stage.layer, explicit: true, by: uniqueRefs(flat.map((d) => d.ref)), stage: i };
    const explicit = stageDenies.length > 0 && solver.solve(groups, denies.slice(0, priorDenies)).ok;
    const noAllowHere = stageGroups.some((g) => g.length === 0);
    const definite = explicit || !noAllowHere ? !requiredUnknown : !(stage.required && stage.unreadable.length > 0);
    if (!definite) return laterFlatDeny(stages, i + 1, bit) ?? { kind: 'unknown', reasons: unknown };
    const by = explicit
      ? uniqueRefs(stageDenies.map((d) => d.ref))
      : uniqueRefs(stage.levels.flatMap((l, n) => (noAllowHere && stageGroups[n]!.length > 0 ? [] : l.policies)));
    return { kind: 'denied', layer: stage.layer, explicit, by, stage: i };
  }
  if (unknown.length > 0) return { kind: 'unknown', reasons: unknown };
  const because = (last?.ok ? last.chosen : [])
    .map((c) => c.ref)
    .filter((r) => r.layer === 'key-policy' || r.layer === 'grant' || r.layer === 'identity');
  return { kind: 'allowed', conditional: last?.ok ? last.conditional : false, because: uniqueRefs(because) };
}

/** The most telling outcome of several alternative ways in (key policy directly, through the account...). */
export function bestOutcome(outcomes: readonly Outcome[]): Outcome {
  const allowed = outcomes.filter((o) => o.kind === 'allowed');
  if (allowed.length > 0) {
    const plain = allowed.filter((o) => !o.conditional);
    const pick = plain.length > 0 ? plain : allowed;
    return { kind: 'allowed', conditional: plain.length === 0, because: uniqueRefs(pick.flatMap((o) => o.because)) };
  }
  const unknown = outcomes.filter((o) => o.kind === 'unknown');
  if (unknown.length > 0) return { kind: 'unknown', reasons: [...new Set(unknown.flatMap((o) => o.reasons))] };
  const denied = outcomes.filter((o) => o.kind === 'denied');
  return denied.reduce((best, o) => (o.stage > best.stage ? o : best));
}
