import { globMatch, hasWildcard } from './wildcard';

/** Action names ignore case; `*` and `?` are wildcards (`kms:*`, `kms:Get*`, `kms:?ecrypt`, `*`). */

const lowered = new Map<string, string>();

function lower(pattern: string): string {
  let l = lowered.get(pattern);
  if (l === undefined) {
    l = pattern.toLowerCase();
    if (lowered.size >= 10_000) lowered.clear();
    lowered.set(pattern, l);
  }
  return l;
}

/** True when one of the patterns matches the action (case-insensitive). */
export function actionMatches(patterns: readonly string[], action: string): boolean {
  return actionMatchesLower(patterns, action.toLowerCase());
}

/** Same, with the action already lower-cased (evaluate does it once per request). */
export function actionMatchesLower(patterns: readonly string[], lowerAction: string): boolean {
  for (const pattern of patterns) {
    if (pattern === '*') return true;
    const p = lower(pattern);
    if (p === lowerAction || (hasWildcard(p) && globMatch(p, lowerAction))) return true;
  }
  return false;
}
