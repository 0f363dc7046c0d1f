// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are literal ${...} text
import { describe, expect, it } from 'vitest';
import { condition, type OperatorRow, runRow } from '../../../test/policy/helpers';
import { conditionPassesWhenAbsent, conditionsMatch } from './match';

// README rule 5 (missing key) and the set operators over multivalued request values.
const rows: OperatorRow[] = [
  ['ForAnyValue:StringEquals', ['a'], ['b', 'a'], true],
  ['ForAnyValue:StringEquals', ['a'], ['b', 'c'], false],
  ['ForAnyValue:StringEquals', ['a'], [], false],
  ['ForAnyValue:StringEquals', ['a'], undefined, false], // absent: ForAnyValue false
  ['ForAnyValue:StringEquals', ['a'], 'a', true], // a single value counts as a one-element set
  ['ForAnyValue:StringNotEquals', ['a'], ['a', 'b'], true], // some value is not "a"
  ['ForAnyValue:StringNotEquals', ['a'], ['a'], false],
  ['ForAnyValue:StringNotEquals', ['a'], undefined, false],
  ['ForAnyValue:StringLike', ['o-abc/*'], ['o-abc/r-1/ou-1/'], true],
  ['ForAllValues:StringEquals', ['a', 'b'], ['a', 'b'], true],
  ['ForAllValues:StringEquals', ['a', 'b'], ['a', 'c'], false],
  ['ForAllValues:StringEquals', ['a'], [], true], // empty set: true
  ['ForAllValues:StringEquals', ['a'], undefined, true], // absent: ForAllValues true
  ['ForAllValues:StringNotEquals', ['a'], ['b', 'c'], true],
  ['ForAllValues:StringNotEquals', ['a'], ['b', 'a'], false],
  ['ForAllValues:StringEqualsIgnoreCase', ['Project'], ['project', 'PROJECT'], true],
  // IfExists wins over the set operator when the key is absent.
  ['ForAnyValue:StringEqualsIfExists', ['a'], undefined, true],
  ['ForAnyValue:StringEqualsIfExists', ['a'], ['b'], false],
  // A multivalued request value without a set operator does not match (not even negated operators).
  ['StringEquals', ['a'], ['a'], false],
  ['StringNotEquals', ['a'], ['b'], false],
  ['StringEqualsIfExists', ['a'], ['a'], false],
];

describe('condition matching', () => {
  it.each(rows)('%s %j vs %j -> %s', (...row) => {
    expect(runRow(row)).toBe(row[3]);
  });

  it('conditionPassesWhenAbsent follows README rule 5', () => {
    const cases: [string, string[], boolean][] = [
      ['StringEquals', ['a'], false],
      ['StringNotEquals', ['a'], true],
      ['ArnNotLike', ['arn:aws:iam::1:role/x'], true],
      ['NotIpAddress', ['10.0.0.0/8'], true],
      ['NumericNotEquals', ['1'], true],
      ['StringEqualsIfExists', ['a'], true],
      ['ForAllValues:StringEquals', ['a'], true],
      ['ForAnyValue:StringEquals', ['a'], false],
      ['ForAnyValue:StringNotEquals', ['a'], false],
      ['Null', ['true'], true],
      ['Null', ['false'], false],
      ['Bool', ['false'], false],
    ];
    for (const [operator, values, expected] of cases) {
      expect(conditionPassesWhenAbsent(condition(operator, 'k', values)), operator).toBe(expected);
    }
  });

  it('ANDs conditions and looks keys up ignoring case (including the EncryptionContext key part)', () => {
    const conditions = [
      condition('StringEquals', 'kms:EncryptionContext:Department', ['Finance']),
      condition('StringEquals', 'KMS:CallerAccount', ['111122223333']),
    ];
    const context = { 'kms:encryptioncontext:department': 'Finance', 'kms:calleraccount': '111122223333' };
    expect(conditionsMatch(conditions, context)).toBe(true);
    expect(conditionsMatch(conditions, { ...context, 'kms:calleraccount': '444455556666' })).toBe(false);
    expect(conditionsMatch(conditions, { 'kms:EncryptionContext:department': 'finance' })).toBe(false); // values keep case
    expect(conditionsMatch([], undefined)).toBe(true);
  });

  it('resolves policy variables from the context, or from explicit variables', () => {
    const c = [condition('StringEquals', 'aws:PrincipalAccount', ['${aws:ResourceAccount}'])];
    expect(conditionsMatch(c, { 'aws:PrincipalAccount': '1', 'aws:ResourceAccount': '1' })).toBe(true);
    expect(conditionsMatch(c, { 'aws:PrincipalAccount': '1', 'aws:ResourceAccount': '2' })).toBe(false);
    expect(conditionsMatch(c, { 'aws:PrincipalAccount': '1' }, { 'aws:resourceaccount': '1' })).toBe(true);
  });

  it('an unknown operator never matches', () => {
    expect(conditionsMatch([condition('StringEqualz', 'k', ['a'])], { k: 'a' })).toBe(false);
  });
});
