import type { ResolvedValue } from './variables';

/**
 * How one condition operator compares a request value with a policy value, in its positive form (the negated
 * operators reuse it: `StringNotEquals` is "every policy value compares and is not equal").
 */
export interface ValueMatcher<P = unknown> {
  /** Compile a policy value once; undefined when it can never match (not a number, not a CIDR, not an ARN...). */
  prepare(value: ResolvedValue): P | undefined;
  /** true / false, or undefined when the request value is not comparable (not a number, not an IP...). */
  test(requestValue: string, prepared: P): boolean | undefined;
}

/** Comparison of two ordered values, shared by the Numeric and Date families. */
export type Comparison = 'eq' | 'lt' | 'lte' | 'gt' | 'gte';

export function compare(comparison: Comparison, request: number, policy: number): boolean {
  switch (comparison) {
    case 'eq':
      return request === policy;
    case 'lt':
      return request < policy;
    case 'lte':
      return request <= policy;
    case 'gt':
      return request > policy;
    case 'gte':
      return request >= policy;
  }
}

/** A matcher over numbers parsed from strings (Numeric*, Date*). */
export function orderedMatcher(
  parse: (text: string) => number | undefined,
  comparison: Comparison,
): ValueMatcher<number> {
  return {
    prepare: (value) => parse(value.text),
    test(requestValue, policy) {
      const request = parse(requestValue);
      return request === undefined ? undefined : compare(comparison, request, policy);
    },
  };
}
