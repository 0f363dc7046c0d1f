/**
 * IAM wildcards: `*` matches any run of characters (also none), `?` exactly one. No regular expressions: a linear
 * two-pointer match with one backtrack point, so hostile patterns cannot blow up and nothing is compiled per call.
 */

const STAR = 42; // '*'
const QUESTION = 63; // '?'

/**
 * Match `value` against `pattern`. `literal`, when given, marks pattern positions whose `*`/`?` are literal
 * characters (from `${*}`/`${?}` escapes or substituted policy variables), aligned with `pattern` from `from`.
 */
export function globMatch(pattern: string, value: string, literal?: Uint8Array, from = 0): boolean {
  const patternLength = pattern.length;
  const valueLength = value.length;
  let p = 0;
  let v = 0;
  let starP = -1;
  let starV = 0;
  while (v < valueLength) {
    if (p < patternLength) {
      const pc = pattern.charCodeAt(p);
      const wild = literal === undefined || literal[from + p] !== 1;
      if (pc === STAR && wild) {
        starP = p++;
        starV = v;
        continue;
      }
      if ((pc === QUESTION && wild) || pc === value.charCodeAt(v)) {
        p++;
        v++;
        continue;
      }
    }
    if (starP === -1) return false;
    p = starP + 1;
    v = ++starV;
  }
  while (p < patternLength && pattern.charCodeAt(p) === STAR && (literal === undefined || literal[from + p] !== 1)) p++;
  return p === patternLength;
}

/** True when the pattern contains a wildcard character. */
export function hasWildcard(pattern: string): boolean {
  return pattern.indexOf('*') !== -1 || pattern.indexOf('?') !== -1;
}

/** `*` and `?` wildcard match, optionally ignoring case. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive: boolean): boolean {
  if (pattern === '*') return true;
  if (caseInsensitive) {
    pattern = pattern.toLowerCase();
    value = value.toLowerCase();
  }
  if (!hasWildcard(pattern)) return pattern === value;
  return globMatch(pattern, value);
}
