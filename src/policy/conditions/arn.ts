import { type ArnPattern, arnPatternMatches, arnSegmentStarts, compileArnPattern } from '../match/arn';
import type { ValueMatcher } from './matcher';

/**
 * ArnEquals / ArnLike (and their Not forms): the six colon-separated parts compared one by one with `*` and `?`
 * wildcards, case-sensitive. ArnEquals behaves like ArnLike. A policy value or a request value that is not
 * ARN-shaped (fewer than six parts) is not comparable: it matches neither the positive nor the negated operator.
 */
export const arnLikeMatcher: ValueMatcher<ArnPattern> = {
  prepare: (value) => compileArnPattern(value.text, value.literal),
  test(requestValue, pattern) {
    if (arnSegmentStarts(requestValue) === undefined) return undefined;
    return arnPatternMatches(pattern, requestValue);
  },
};
