import { type Comparison, orderedMatcher, type ValueMatcher } from './matcher';

/** Numeric operators: integers and decimals (`-3`, `2.5`, `.5`); anything else is not a number. */

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

export function parseNumber(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

export function numericMatcher(comparison: Comparison): ValueMatcher<number> {
  return orderedMatcher(parseNumber, comparison);
}
