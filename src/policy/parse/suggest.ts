import { knownOperatorNames } from '../conditions/operators';

/** "Did you mean" hints for misspelt element and operator names. */

/** Levenshtein edit distance (the one definition: "did you mean" hints everywhere use it). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The closest candidate within a small edit distance (case ignored), if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 64) return undefined;
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    // A length gap of more than 3 means a distance of more than 3: not a near miss.
    if (Math.abs(lower.length - candidate.length) > 3) continue;
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

export function suggestOperator(operator: string): string | undefined {
  const colon = operator.indexOf(':');
  const prefix = colon === -1 ? '' : operator.slice(0, colon + 1);
  const base = colon === -1 ? operator : operator.slice(colon + 1);
  const ifExists = base.toLowerCase().endsWith('ifexists');
  const core = ifExists ? base.slice(0, -8) : base;
  const hit = closest(core, knownOperatorNames());
  if (hit === undefined) return undefined;
  const fixedPrefix = closest(prefix.slice(0, -1), ['ForAnyValue', 'ForAllValues']);
  return `${prefix === '' ? '' : `${fixedPrefix ?? prefix.slice(0, -1)}:`}${hit}${ifExists && hit !== 'Null' ? 'IfExists' : ''}`;
}
