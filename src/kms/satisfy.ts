/**
 * Finding a request context that satisfies some conditions and escapes others, by trying witness values drawn
 * from the conditions themselves. Used to decide whether *some* request could be allowed (reach, attribution).
 * Pure; bounded: past MAX_COMBINATIONS the answer is "assume satisfiable" (the wider reading, never a silent pass).
 */
import { conditionMatchesValue, conditionsMatch, operatorInfo, wildcardMatch } from '../policy';
import type { Condition, ContextValue } from '../policy/types';

export const MAX_COMBINATIONS = 4096;

/** Condition keys only a caller of a named account, organization, network or identity can meet (corpus README). */
export const PIN_KEYS: ReadonlySet<string> = new Set([
  'aws:principalaccount',
  'kms:calleraccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceip',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:userid',
]);

/** Keys whose values are sets (ForAnyValue/ForAllValues apply to them). */
const ARRAY_KEYS = new Set([
  'kms:encryptioncontextkeys',
  'kms:grantoperations',
  'aws:principalorgpaths',
  'aws:tagkeys',
  'kms:grantconstraints',
]);

const OTHER = 'keywarden-unmatched-value';
const OTHER_IP = '192.0.2.250';
const OTHER_NUMBER = '987654321';
const OTHER_DATE = '1999-12-31T00:00:00Z';

/** Values that satisfy `operator` against `value`, plus neighbours that don't. */
function witnesses(base: string, value: string): string[] {
  const b = base.toLowerCase();
  if (b.startsWith('string') || b.startsWith('arn')) {
    if (b.includes('like') || b.startsWith('arn')) return [value.replace(/\*/g, 'kw').replace(/\?/g, 'k')];
    return [value];
  }
  if (b.startsWith('numeric')) {
    const n = Number(value);
    return Number.isFinite(n) ? [String(n), String(n + 1), String(n - 1)] : [value];
  }
  if (b.startsWith('date')) {
    const t = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
    return Number.isNaN(t)
      ? [value]
      : [new Date(t).toISOString(), new Date(t + 1000).toISOString(), new Date(t - 1000).toISOString()];
  }
  if (b === 'bool') return ['true', 'false'];
  if (b === 'ipaddress' || b === 'notipaddress') return [value.split('/')[0]!];
  return [value];
}

function otherValue(bases: string[]): string {
  if (bases.some((b) => b.endsWith('ipaddress'))) return OTHER_IP;
  if (bases.some((b) => b.startsWith('numeric'))) return OTHER_NUMBER;
  if (bases.some((b) => b.startsWith('date'))) return OTHER_DATE;
  return OTHER;
}

export interface SatisfyProblem {
  /** All of these must hold. */
  require: Condition[];
  /** For each list, at least one condition must fail (escaping a Deny). */
  escape: Condition[][];
  /** Context the caller fixes (principal-derived keys). Keys lower-case. Undefined value = absent. */
  fixed: Readonly<Record<string, ContextValue | undefined>>;
  /** Lower-case keys limited to "absent or unmatched" (a public caller cannot meet pins). */
  restricted?: ReadonlySet<string>;
  /** The caller stands for any principal of this account: aws:PrincipalArn ranges over that account's ARNs. */
  callerAccount?: string;
}

export type SatisfyResult = { ok: true; context: Record<string, ContextValue>; assumed: boolean } | { ok: false };

/** A solved problem: whether it holds, and the values chosen for the keys the caller does not fix. */
interface Solution {
  ok: boolean;
  assumed: boolean;
  /** Key (as the policy writes it) and value, in order of first mention. */
  chosen: Array<[string, ContextValue]>;
}

/** Finds a context satisfying the problem, or says none of the tried witnesses does. */
export function satisfy(problem: SatisfyProblem): SatisfyResult {
  const { fixed } = problem;
  // The keys the caller does not fix, in order of first mention, with the conditions on each.
  const keys: string[] = [];
  const byKey: Condition[][] = [];
  let variables = collectFree(problem.require, fixed, keys, byKey);
  for (const e of problem.escape) if (collectFree(e, fixed, keys, byKey)) variables = true;
  const solution = search(problem, keys, byKey, variables);
  if (!solution.ok) return { ok: false };
  const context = baseOf(fixed);
  for (const [k, v] of solution.chosen) context[k] = v;
  return { ok: true, context, assumed: solution.assumed };
}

function search(problem: SatisfyProblem, keys: string[], byKey: Condition[][], variables: boolean): Solution {
  const { fixed } = problem;
  const domains: Array<Array<ContextValue | undefined>> = new Array(keys.length);
  let combinations = 1;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    domains[i] =
      k === 'aws:principalarn' && problem.callerAccount !== undefined
        ? principalArnDomain(byKey[i]!, problem.callerAccount)
        : domainOf(k, byKey[i]!, problem.restricted?.has(k) ?? false);
    combinations *= domains[i]!.length;
  }
  if (combinations > MAX_COMBINATIONS) return { ok: true, assumed: true, chosen: [] };
  const index = new Array<number>(keys.length).fill(0);
  for (let n = 0; n < combinations; n++) {
    // Policy variables read other context keys: then whole contexts are evaluated.
    const holds = variables
      ? holdsIn(problem, contextOf(fixed, keys, byKey, domains, index))
      : holdsAt(problem, keys, domains, index);
    if (holds) {
      const chosen: Array<[string, ContextValue]> = [];
      for (let i = 0; i < keys.length; i++) {
        const v = domains[i]![index[i]!];
        if (v !== undefined) chosen.push([byKey[i]![0]!.key, v]);
      }
      return { ok: true, assumed: false, chosen };
    }
    for (let i = 0; i < keys.length; i++) {
      index[i] = index[i]! + 1;
      if (index[i]! < domains[i]!.length) break;
      index[i] = 0;
    }
  }
  return { ok: false, assumed: false, chosen: [] };
}

const lowered = new Map<string, string>();

/** Condition keys lower-cased, once per distinct spelling (the same few keys recur in every policy). */
export function lowerKey(key: string): string {
  let lower = lowered.get(key);
  if (lower === undefined) {
    lower = key.toLowerCase();
    if (lowered.size >= 10_000) lowered.clear();
    lowered.set(key, lower);
  }
  return lower;
}

/** Adds the keys of `conditions` the caller does not fix; true when a condition value holds a policy variable. */
function collectFree(
  conditions: readonly Condition[],
  fixed: SatisfyProblem['fixed'],
  keys: string[],
  byKey: Condition[][],
): boolean {
  let variables = false;
  for (const c of conditions) {
    if (!variables && hasVariable(c)) variables = true;
    const k = lowerKey(c.key);
    if (k in fixed) continue;
    const at = keys.indexOf(k);
    if (at === -1) {
      keys.push(k);
      byKey.push([c]);
    } else byKey[at]!.push(c);
  }
  return variables;
}

function holdsIn(problem: SatisfyProblem, context: Record<string, ContextValue>): boolean {
  if (!conditionsMatch(problem.require, context)) return false;
  for (const deny of problem.escape) if (conditionsMatch(deny, context)) return false;
  return true;
}

/** The requirement and escapes, judged condition by condition on the combination at `index` (no variables). */
function holdsAt(
  problem: SatisfyProblem,
  keys: readonly string[],
  domains: ReadonlyArray<ReadonlyArray<ContextValue | undefined>>,
  index: readonly number[],
): boolean {
  for (const c of problem.require)
    if (!conditionMatchesValue(c, valueAt(c, problem.fixed, keys, domains, index))) return false;
  for (const deny of problem.escape) {
    let escaped = false;
    for (const c of deny) {
      if (!conditionMatchesValue(c, valueAt(c, problem.fixed, keys, domains, index))) {
        escaped = true;
        break;
      }
    }
    if (!escaped) return false;
  }
  return true;
}

function valueAt(
  c: Condition,
  fixed: SatisfyProblem['fixed'],
  keys: readonly string[],
  domains: ReadonlyArray<ReadonlyArray<ContextValue | undefined>>,
  index: readonly number[],
): ContextValue | undefined {
  const k = lowerKey(c.key);
  const at = keys.indexOf(k);
  return at === -1 ? fixed[k] : domains[at]![index[at]!];
}

/** A condition value holds a policy variable (`${...}`), which may read any context key. */
export const hasVariable = (c: Condition): boolean => {
  for (const v of c.values) if (v.includes('${')) return true;
  return false;
};

/** The context keys the caller fixes to a value. */
function baseOf(fixed: SatisfyProblem['fixed']): Record<string, ContextValue> {
  const base: Record<string, ContextValue> = {};
  for (const k in fixed) {
    const v = fixed[k];
    if (v !== undefined) base[k] = v;
  }
  return base;
}

/** The request context of one combination: the fixed keys, then each free key's value (named as the policy does). */
function contextOf(
  fixed: SatisfyProblem['fixed'],
  keys: readonly string[],
  byKey: readonly Condition[][],
  domains: ReadonlyArray<ReadonlyArray<ContextValue | undefined>>,
  index: readonly number[],
): Record<string, ContextValue> {
  const context = baseOf(fixed);
  for (let i = 0; i < keys.length; i++) {
    const v = domains[i]![index[i]!];
    if (v !== undefined) context[byKey[i]![0]!.key] = v;
  }
  return context;
}

/** ARNs of principals of `account` that the conditions mention (wildcards filled in), plus one they don't. */
function principalArnDomain(conditions: Condition[], account: string): ContextValue[] {
  const values = new Set<string>([`arn:aws:iam::${account}:role/keywarden-unmatched-principal`]);
  for (const c of conditions) {
    const base = operatorInfo(c.operator).base;
    for (const v of c.values) {
      // A pattern whose account segment is a wildcard matching `account` (arn:aws:iam::*:role/x) names no account.
      const parts = v.split(':');
      if (parts.length >= 6 && parts[4] !== account && wildcardMatch(parts[4]!, account, false)) parts[4] = account;
      for (const w of witnesses(base, parts.join(':'))) if (w.split(':')[4] === account) values.add(w);
    }
  }
  return [...values];
}

function domainOf(key: string, conditions: Condition[], restricted: boolean): Array<ContextValue | undefined> {
  const bases = conditions.map((c) => operatorInfo(c.operator).base.toLowerCase());
  const other = otherValue(bases);
  const isArray = ARRAY_KEYS.has(key) || conditions.some((c) => c.qualifier !== undefined);
  const values = new Set<string>();
  if (!restricted) {
    for (const c of conditions) {
      const base = operatorInfo(c.operator).base;
      if (base.toLowerCase() === 'null') continue;
      for (const v of c.values) for (const w of witnesses(base, v)) values.add(w);
    }
  }
  values.add(other);
  const domain: Array<ContextValue | undefined> = [undefined];
  if (isArray) {
    domain.push([]);
    for (const v of values) domain.push([v]);
    if (values.size > 2) domain.push([...values]);
  } else {
    for (const v of values) domain.push(v);
  }
  return domain;
}
