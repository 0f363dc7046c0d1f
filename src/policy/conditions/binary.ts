import type { ValueMatcher } from './matcher';

/**
 * BinaryEquals: the policy holds the base64 text of the bytes; the request value is the base64 text of the key's
 * bytes. Canonical base64 of equal bytes is equal text, so the comparison is exact (case-sensitive) text equality.
 */
export const binaryEquals: ValueMatcher<string> = {
  prepare: (value) => value.text,
  test: (requestValue, policy) => requestValue === policy,
};
