/** KMS key actions as bit masks over the catalogue, so one statement's action set is computed once and cached. */
import { actionMatches } from '../policy';
import type { Statement } from '../policy/types';
import type { ActionClass } from './access-map';
import { classesOf, isCrossAccountAction, KEY_ACTIONS } from './actions';

export type Mask = bigint;

export const ALL_KEY_ACTIONS: Mask = (1n << BigInt(KEY_ACTIONS.length)) - 1n;

const maskOf = (predicate: (action: string) => boolean): Mask =>
  KEY_ACTIONS.reduce((m, a, i) => (predicate(a) ? m | (1n << BigInt(i)) : m), 0n);

export const CROSS_ACCOUNT_MASK: Mask = maskOf(isCrossAccountAction);

const cache = new Map<string, Mask>();
/** The last statements asked about: one key's statements are asked about again and again (access, duties, rules). */
const RECENT = 32;
const recentStatements: Array<Statement | undefined> = new Array(RECENT).fill(undefined);
const recentMasks: Mask[] = new Array(RECENT).fill(0n);
let nextSlot = 0;

/** The key actions a statement's Action (or every key action but its NotAction) covers. */
export function statementMask(statement: Statement): Mask {
  for (let i = 0; i < RECENT; i++) if (recentStatements[i] === statement) return recentMasks[i]!;
  const mask = maskOfStatement(statement);
  recentStatements[nextSlot] = statement;
  recentMasks[nextSlot] = mask;
  nextSlot = (nextSlot + 1) % RECENT;
  return mask;
}

function maskOfStatement(statement: Statement): Mask {
  if (statement.action) return actionsMask(statement.action);
  return ALL_KEY_ACTIONS & ~actionsMask(statement.notAction ?? []);
}

const byPattern = new Map<string, Mask>();

/** The key actions one action pattern matches (cached per pattern). */
export function patternMask(pattern: string): Mask {
  let mask = byPattern.get(pattern);
  if (mask === undefined) {
    mask = actionsMask([pattern]);
    if (byPattern.size > 10_000) byPattern.clear();
    byPattern.set(pattern, mask);
  }
  return mask;
}

/** The key actions these action patterns match (cached per pattern list: the same lists recur across policies). */
export function actionsMask(patterns: readonly string[]): Mask {
  const cacheKey = patterns.join('\u0000');
  let mask = cache.get(cacheKey);
  if (mask === undefined) {
    mask = maskOf((a) => actionMatches(patterns, a));
    if (cache.size > 10_000) cache.clear();
    cache.set(cacheKey, mask);
  }
  return mask;
}

const actionsCache = new Map<Mask, readonly string[]>();

/** The actions of a mask, in catalogue order (shared arrays: do not mutate). */
export function actionsOf(mask: Mask): string[] {
  let actions = actionsCache.get(mask);
  if (!actions) {
    const out: string[] = [];
    for (let i = 0; i < KEY_ACTIONS.length; i++) if ((mask >> BigInt(i)) & 1n) out.push(KEY_ACTIONS[i]!);
    actions = out;
    if (actionsCache.size > 10_000) actionsCache.clear();
    actionsCache.set(mask, actions);
  }
  return actions as string[];
}

const classesCache = new Map<Mask, ActionClass[]>();

export function classesOfMask(mask: Mask): ActionClass[] {
  const cached = classesCache.get(mask);
  if (cached) return cached;
  const classes = computeClasses(mask);
  if (classesCache.size > 10_000) classesCache.clear();
  classesCache.set(mask, classes);
  return classes;
}

function computeClasses(mask: Mask): ActionClass[] {
  const set = new Set<ActionClass>();
  for (const a of actionsOf(mask)) for (const c of classesOf(a)) set.add(c);
  const order: ActionClass[] = ['use', 'admin', 'grant', 'policy', 'read'];
  return order.filter((c) => set.has(c));
}

const KEY_ACTION_BITS = new Map<string, Mask>(KEY_ACTIONS.map((a, i) => [a.toLowerCase(), 1n << BigInt(i)]));

/** The mask of these actions (names compared case-insensitively; names outside the key actions are ignored). */
export const maskOfActions = (actions: readonly string[]): Mask => {
  let mask = 0n;
  for (const a of actions) mask |= KEY_ACTION_BITS.get(a.toLowerCase()) ?? 0n;
  return mask;
};
