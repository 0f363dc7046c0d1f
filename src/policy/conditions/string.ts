import { globMatch, hasWildcard } from '../match/wildcard';
import type { ValueMatcher } from './matcher';
import type { ResolvedValue } from './variables';

/**
 * String operators. StringEquals and StringLike are case-sensitive; the IgnoreCase pair lower-cases both sides
 * (the policy value arrives lower-cased from its preparation). StringLike honours `*` and `?`, except characters
 * marked literal (`${*}`, `${?}`, substituted variables).
 */

export const stringEquals: ValueMatcher<string> = {
  prepare: (value) => value.text,
  test: (requestValue, policy) => requestValue === policy,
};

/** The policy value must be prepared lower-cased (the operator table asks for it). */
export const stringEqualsIgnoreCase: ValueMatcher<string> = {
  prepare: (value) => value.text.toLowerCase(),
  test: (requestValue, policy) => requestValue.toLowerCase() === policy,
};

type LikePattern = { exact: string } | ResolvedValue;

export const stringLike: ValueMatcher<LikePattern> = {
  prepare(value) {
    if (value.literal === undefined && !hasWildcard(value.text)) return { exact: value.text };
    return value;
  },
  test(requestValue, pattern) {
    if ('exact' in pattern) return requestValue === pattern.exact;
    return globMatch(pattern.text, requestValue, pattern.literal);
  },
};
