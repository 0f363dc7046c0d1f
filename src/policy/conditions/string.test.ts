// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are literal ${...} text
import { describe, expect, it } from 'vitest';
import { type OperatorRow, runRow } from '../../../test/policy/helpers';

const rows: OperatorRow[] = [
  ['StringEquals', ['abc'], 'abc', true],
  ['StringEquals', ['abc'], 'ABC', false], // case-sensitive
  ['StringEquals', ['a', 'b'], 'b', true], // values OR-ed
  ['StringEquals', ['a*'], 'abc', false], // no wildcards
  ['StringEquals', ['a*'], 'a*', true],
  ['StringEquals', [''], '', true],
  ['StringEquals', ['abc'], undefined, false], // absent: positive false
  ['StringEquals', [], 'abc', false],
  ['StringNotEquals', ['abc'], 'abd', true],
  ['StringNotEquals', ['abc'], 'abc', false],
  ['StringNotEquals', ['a', 'b'], 'b', false], // NOR over values
  ['StringNotEquals', ['a', 'b'], 'c', true],
  ['StringNotEquals', ['abc'], undefined, true], // absent: negated true
  ['StringEqualsIgnoreCase', ['AbC'], 'aBc', true],
  ['StringEqualsIgnoreCase', ['abc'], 'abd', false],
  ['StringNotEqualsIgnoreCase', ['AbC'], 'abc', false],
  ['StringNotEqualsIgnoreCase', ['AbC'], 'abd', true],
  ['StringLike', ['a*c'], 'abbbc', true],
  ['StringLike', ['a*c'], 'ac', true],
  ['StringLike', ['a?c'], 'abc', true],
  ['StringLike', ['a?c'], 'ac', false],
  ['StringLike', ['a*'], 'A', false], // case-sensitive
  ['StringLike', ['*'], '', true],
  ['StringLike', ['*.amazonaws.com'], 'rds.us-east-1.amazonaws.com', true],
  ['StringLike', ['rds.*.amazonaws.com'], 'rds.us-east-1.amazonaws.com', true],
  ['StringLike', ['rds.*.amazonaws.com'], 's3.us-east-1.amazonaws.com', false],
  ['StringLike', ['*a*b*c*'], 'xxaxxbxxcxx', true],
  ['StringLike', ['*a*b*c*'], 'xxaxxcxxbxx', false],
  ['StringNotLike', ['a*'], 'abc', false],
  ['StringNotLike', ['a*'], 'bcd', true],
  ['StringNotLike', ['a*', 'b*'], 'bcd', false],
  ['StringNotLike', ['a*'], undefined, true],
  ['StringEqualsIfExists', ['abc'], undefined, true],
  ['StringEqualsIfExists', ['abc'], 'abd', false],
  ['StringLikeIfExists', ['a*'], 'abc', true],
];

describe('String operators', () => {
  it.each(rows)('%s %j vs %j -> %s', (...row) => {
    expect(runRow(row)).toBe(row[3]);
  });

  it('StringLike with an escaped wildcard matches the literal character only', () => {
    expect(runRow(['StringLike', ['a${*}'], 'a*', true], {})).toBe(true);
    expect(runRow(['StringLike', ['a${*}'], 'ab', false], {})).toBe(false);
    expect(runRow(['StringLike', ['a${?}'], 'a?', true], {})).toBe(true);
    expect(runRow(['StringLike', ['a${?}'], 'ab', false], {})).toBe(false);
    expect(runRow(['StringEquals', ['${$}x'], '$x', true], {})).toBe(true);
  });

  it('substitutes policy variables, and a substituted value is literal', () => {
    const vars = { 'aws:username': 'alice', 'aws:PrincipalTag/team': 'a*' };
    expect(runRow(['StringEquals', ['home/${aws:username}'], 'home/alice', true], vars)).toBe(true);
    expect(runRow(['StringEquals', ['home/${AWS:UserName}'], 'home/alice', true], vars)).toBe(true); // names ignore case
    expect(runRow(['StringLike', ['home/${aws:username}/*'], 'home/alice/x', true], vars)).toBe(true);
    expect(runRow(['StringLike', ['${aws:PrincipalTag/team}'], 'abc', false], vars)).toBe(false);
    expect(runRow(['StringLike', ['${aws:PrincipalTag/team}'], 'a*', true], vars)).toBe(true);
    expect(runRow(['StringEqualsIgnoreCase', ['${aws:username}'], 'ALICE', true], vars)).toBe(true);
  });

  it('an unresolved variable uses its default, else the value matches nothing (not even a negated operator)', () => {
    expect(runRow(['StringEquals', ["${aws:username, 'nobody'}"], 'nobody', true], {})).toBe(true);
    expect(runRow(['StringEquals', ["${aws:username, 'it''s'}"], "it's", true], {})).toBe(true);
    expect(runRow(['StringEquals', ['${aws:username}'], '${aws:username}', false], {})).toBe(false);
    expect(runRow(['StringNotEquals', ['${aws:username}'], 'x', false], {})).toBe(false);
    expect(runRow(['StringEquals', ['${aws:TagKeys}'], 'a', false], { 'aws:TagKeys': ['a'] })).toBe(false); // multivalued
  });

  it('without variables (Version 2008-10-17) ${...} is plain text', () => {
    expect(runRow(['StringEquals', ['${aws:username}'], '${aws:username}', true])).toBe(true);
  });
});
