// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are literal ${...} text
import { describe, expect, it } from 'vitest';
import { variableLookup } from '../conditions/variables';
import { notResourceApplies, resourceMatches } from './resource';

const key = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('Resource / NotResource', () => {
  it.each([
    [['*'], key, true],
    [[key], key, true],
    [['arn:aws:kms:us-east-1:111122223333:key/*'], key, true],
    [['arn:aws:kms:*:111122223333:key/*'], key, true],
    [['arn:aws:kms:*:444455556666:key/*'], key, false],
    [['arn:aws:kms:us-east-1:111122223333:KEY/*'], key, false], // case-sensitive
    [['arn:aws:kms:us-east-1:111122223333:alias/*'], key, false],
    [['arn:aws:kms:*'], key, true], // a short ARN pattern is matched as a whole string
    [['*'], undefined, true],
    [['arn:aws:kms:us-east-1:111122223333:key/other'], undefined, true], // no resource: "this key"
  ] as [string[], string | undefined, boolean][])('%j matches %j: %s', (patterns, resource, expected) => {
    expect(resourceMatches(patterns, resource)).toBe(expected);
  });

  it('NotResource', () => {
    expect(notResourceApplies(['arn:aws:kms:*:*:key/other'], key)).toBe(true);
    expect(notResourceApplies(['arn:aws:kms:*:*:key/*'], key)).toBe(false);
    expect(notResourceApplies(['*'], undefined)).toBe(false);
    expect(notResourceApplies(['arn:aws:kms:*:*:key/other'], undefined)).toBe(true);
  });

  it('substitutes variables when enabled', () => {
    const vars = variableLookup({ 'aws:PrincipalAccount': '111122223333' });
    const pattern = ['arn:aws:kms:*:${aws:PrincipalAccount}:key/*'];
    expect(resourceMatches(pattern, key, vars)).toBe(true);
    expect(resourceMatches(pattern, key, variableLookup({}))).toBe(false);
    expect(resourceMatches(pattern, key)).toBe(false); // variables off: literal text
  });
});
