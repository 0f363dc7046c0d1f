import type { ValueMatcher } from './matcher';

/** Bool: `true` / `false`, case-insensitive on both sides; any other value is not a boolean and never matches. */

function parseBool(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

export const boolMatcher: ValueMatcher<boolean> = {
  prepare: (value) => parseBool(value.text),
  test(requestValue, policy) {
    const request = parseBool(requestValue);
    return request === undefined ? undefined : request === policy;
  },
};
