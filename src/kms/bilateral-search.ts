/**
 * Joint satisfiability across policy layers: is there one request context in which one Allow statement of every
 * required layer (key policy, identity policies, boundary, each SCP and RCP level) applies while every applying
 * Deny is escaped? Conditions are judged like the key-policy side does (src/kms/satisfy.ts: "some request can
 * meet them"); past MAX_CHOICES combinations the wider reading (allowed, with conditions) is taken.
 */
import type { Condition, ContextValue } from '../policy/types';
import type { PolicyRef } from './bilateral-types';
import { satisfy } from './satisfy';

/** One statement as an alternative of its layer (Allow) or an obstacle (Deny). */
export interface Clause {
  conditions: readonly Condition[];
  ref: PolicyRef;
}

/** Principal-derived context keys, lower-case; undefined = absent. */
export type FixedContext = Record<string, ContextValue | undefined>;

export const MAX_CHOICES = 256;

export type JointResult =
  | {
      ok: true;
      /** Some condition on a key the caller does not fix had to be met (or a conditional Deny escaped). */
      conditional: boolean;
      /** The Allow statement chosen in each group. */
      chosen: Clause[];
      /** Too many combinations to try: assumed satisfiable (the wider reading). */
      assumed: boolean;
    }
  | { ok: false };

const onFreeKey = (conditions: readonly Condition[], fixed: FixedContext): boolean =>
  conditions.some((c) => !(c.key.toLowerCase() in fixed));

/**
 * `groups`: one list of alternatives per required layer (an empty list fails at once); `denies`: every Deny that
 * applies to the action and principal. `callerAccount`: the caller stands for any principal of that account.
 */
export function jointlyAllowed(
  groups: ReadonlyArray<readonly Clause[]>,
  denies: readonly Clause[],
  fixed: FixedContext,
  callerAccount?: string,
): JointResult {
  if (groups.some((g) => g.length === 0)) return { ok: false };
  if (denies.some((d) => d.conditions.length === 0)) return { ok: false };
  // An unconditional alternative is never harder to meet than a conditional one of the same layer.
  const reduced = groups.map((g) => {
    const free = g.find((c) => c.conditions.length === 0);
    return free ? [free] : g;
  });
  let total = 1;
  for (const g of reduced) total *= g.length;
  const escapes = denies.map((d) => [...d.conditions]);
  const escapeOnFreeKey = denies.some((d) => onFreeKey(d.conditions, fixed));
  if (total > MAX_CHOICES) return { ok: true, conditional: true, chosen: reduced.map((g) => g[0]!), assumed: true };
  const index = new Array<number>(reduced.length).fill(0);
  for (let n = 0; n < total; n++) {
    const chosen = reduced.map((g, i) => g[index[i]!]!);
    const require = chosen.flatMap((c) => c.conditions);
    if (require.length === 0 && escapes.length === 0) return { ok: true, conditional: false, chosen, assumed: false };
    const result = satisfy({ require, escape: escapes, fixed, ...(callerAccount ? { callerAccount } : {}) });
    if (result.ok) {
      const conditional = escapeOnFreeKey || chosen.some((c) => onFreeKey(c.conditions, fixed));
      return { ok: true, conditional, chosen, assumed: result.assumed };
    }
    for (let i = 0; i < reduced.length; i++) {
      index[i] = index[i]! + 1;
      if (index[i]! < reduced[i]!.length) break;
      index[i] = 0;
    }
  }
  return { ok: false };
}
