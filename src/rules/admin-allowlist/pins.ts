/**
 * Is a principal pinned to an allowlist? Allowlist entries are globs (`*`, `?`, case-insensitive, whole value) of
 * three kinds: principal ARNs (`arn:...`), service principals (`*.amazonaws.com`), and aws:userid values (anything
 * else, e.g. `AROAOTTER*`). A statement pins its callers by naming an allowed principal, or by a positive condition
 * on aws:userid / aws:PrincipalArn whose every value lies inside an allowed glob.
 */
import type { PrincipalAccess } from '../../kms/access-map';
import { wildcardMatch } from '../../policy';
import type { Condition, Statement } from '../../policy/types';

export type EntryKind = 'arn' | 'service' | 'userid';

export const entryKind = (entry: string): EntryKind =>
  /^arn:/i.test(entry) ? 'arn' : /\.amazonaws\.com(\.cn)?$/i.test(entry) ? 'service' : 'userid';

/**
 * Does glob `outer` match every string that glob `inner` matches? Sound: a `*` of `inner` is only covered by a `*`
 * of `outer`, a `?` of `inner` by a `?` or `*`. Case-insensitive.
 */
export function globCovers(outer: string, inner: string): boolean {
  const o = outer.toLowerCase();
  const i = inner.toLowerCase();
  // reach[j] = o[0..p) can match i[0..j)
  let reach = new Array<boolean>(i.length + 1).fill(false);
  reach[0] = true;
  for (let p = 0; p < o.length; p++) {
    const next = new Array<boolean>(i.length + 1).fill(false);
    const c = o[p]!;
    if (c === '*') {
      let any = false;
      for (let j = 0; j <= i.length; j++) {
        any ||= reach[j]!;
        next[j] = any;
      }
    } else {
      for (let j = 0; j < i.length; j++) {
        if (!reach[j]) continue;
        const d = i[j]!;
        if (d === '*') continue;
        if (c === '?' || (d !== '?' && c === d)) next[j + 1] = true;
      }
    }
    reach = next;
  }
  return reach[i.length]!;
}

/** Positive operators whose values bound the caller (negated, IfExists and ForAllValues tests do not). */
const POSITIVE = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike']);
const LITERAL = new Set(['stringequals', 'stringequalsignorecase']);

function conditionPins(c: Condition, allowed: readonly string[]): boolean {
  if (c.ifExists || c.qualifier === 'ForAllValues' || !POSITIVE.has(c.baseOperator.toLowerCase())) return false;
  const key = c.key.toLowerCase();
  const kind: EntryKind | undefined = key === 'aws:userid' ? 'userid' : key === 'aws:principalarn' ? 'arn' : undefined;
  if (!kind || c.values.length === 0) return false;
  const entries = allowed.filter((e) => entryKind(e) === kind);
  const literal = LITERAL.has(c.baseOperator.toLowerCase());
  return c.values.every((v) => entries.some((e) => (literal ? wildcardMatch(e, v, true) : globCovers(e, v))));
}

/** The principal itself is allowed: its ARN or service name matches an entry. Accounts and anyone never do. */
export function principalAllowed(p: PrincipalAccess, allowed: readonly string[]): boolean {
  if (p.kind === 'anyone' || p.kind === 'account') return false;
  const kind: EntryKind = p.kind === 'service' ? 'service' : 'arn';
  return allowed.some((e) => entryKind(e) === kind && wildcardMatch(e, p.principal, true));
}

/** The statement gives its actions only to allowed callers (by principal or by condition). */
export function pinnedBy(p: PrincipalAccess, s: Statement, allowed: readonly string[]): boolean {
  return principalAllowed(p, allowed) || s.conditions.some((c) => conditionPins(c, allowed));
}
