import { describe, expect, it } from 'vitest';
import { BASE_OPERATORS, operatorInfo } from './operators';

describe('operatorInfo', () => {
  it.each([
    ['StringEquals', { base: 'StringEquals', ifExists: false, negated: false, known: true }],
    ['StringNotLikeIfExists', { base: 'StringNotLike', ifExists: true, negated: true, known: true }],
    ['ForAnyValue:StringLike', { base: 'StringLike', qualifier: 'ForAnyValue', ifExists: false, known: true }],
    [
      'ForAllValues:ArnNotEqualsIfExists',
      { base: 'ArnNotEquals', qualifier: 'ForAllValues', ifExists: true, negated: true },
    ],
    ['stringequals', { base: 'StringEquals', known: true }],
    ['NotIpAddress', { base: 'NotIpAddress', negated: true, known: true }],
    ['Null', { base: 'Null', known: true, ifExists: false }],
    ['NullIfExists', { known: false }],
    ['ForAnyValue:Null', { known: false }],
    ['StringEqual', { known: false }],
    ['ForSomeValues:StringEquals', { known: false }],
    ['', { known: false }],
  ] as [string, object][])('%s', (operator, expected) => {
    expect(operatorInfo(operator)).toMatchObject(expected);
  });

  it('knows every operator AWS documents, each with and without IfExists (except Null)', () => {
    const names = BASE_OPERATORS.map((o) => o.name);
    expect(names).toHaveLength(27);
    for (const name of names) {
      expect(operatorInfo(name).known).toBe(true);
      expect(operatorInfo(`${name}IfExists`).known).toBe(name !== 'Null');
      expect(operatorInfo(`ForAnyValue:${name}`).known).toBe(name !== 'Null');
    }
  });
});
