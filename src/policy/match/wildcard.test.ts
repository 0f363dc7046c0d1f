import { describe, expect, it } from 'vitest';
import { globMatch, wildcardMatch } from './wildcard';

describe('wildcardMatch', () => {
  it.each([
    ['*', '', false, true],
    ['*', 'anything', false, true],
    ['kms:*', 'kms:Decrypt', false, true],
    ['kms:*', 'KMS:decrypt', false, false],
    ['kms:*', 'KMS:decrypt', true, true],
    ['kms:Get*', 'kms:GetKeyPolicy', false, true],
    ['kms:Get*', 'kms:ListKeys', false, false],
    ['kms:?ecrypt', 'kms:Decrypt', false, true],
    ['kms:?ecrypt', 'kms:ecrypt', false, false],
    ['a*b*c', 'abc', false, true],
    ['a*b*c', 'aXbYbZc', false, true],
    ['a*b*c', 'aXcYb', false, false],
    ['**', 'x', false, true],
    ['a', 'a', false, true],
    ['a', 'ab', false, false],
    ['', '', false, true],
    ['', 'a', false, false],
  ] as [string, string, boolean, boolean][])('%j ~ %j (ci=%s) -> %s', (pattern, value, ci, expected) => {
    expect(wildcardMatch(pattern, value, ci)).toBe(expected);
  });

  it('is linear on hostile patterns', () => {
    const pattern = `${'*a'.repeat(2000)}b`;
    const value = 'a'.repeat(20000);
    expect(wildcardMatch(pattern, value, false)).toBe(false);
  });

  it('honours literal marks', () => {
    expect(globMatch('a*', 'ab', Uint8Array.from([0, 1]))).toBe(false);
    expect(globMatch('a*', 'a*', Uint8Array.from([0, 1]))).toBe(true);
    expect(globMatch('a?', 'a?', Uint8Array.from([0, 1]))).toBe(true);
    expect(globMatch('a?', 'ab', Uint8Array.from([0, 1]))).toBe(false);
  });
});
