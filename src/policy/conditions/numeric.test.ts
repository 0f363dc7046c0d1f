import { describe, expect, it } from 'vitest';
import { type OperatorRow, runRow } from '../../../test/policy/helpers';
import { parseNumber } from './numeric';

const rows: OperatorRow[] = [
  ['NumericEquals', ['10'], '10', true],
  ['NumericEquals', ['10'], '10.0', true],
  ['NumericEquals', ['10'], '011', false],
  ['NumericEquals', ['1.5'], '1.50', true],
  ['NumericEquals', ['10'], 'ten', false], // not a number: not comparable
  ['NumericEquals', ['ten'], 'ten', false], // policy value not a number: never matches
  ['NumericNotEquals', ['10'], '11', true],
  ['NumericNotEquals', ['10'], '10', false],
  ['NumericNotEquals', ['10'], 'ten', false], // not comparable: the negated operator does not match either
  ['NumericNotEquals', ['10'], undefined, true],
  ['NumericLessThan', ['10'], '9', true],
  ['NumericLessThan', ['10'], '10', false],
  ['NumericLessThanEquals', ['10'], '10', true],
  ['NumericLessThanEquals', ['10'], '11', false],
  ['NumericGreaterThan', ['10'], '11', true],
  ['NumericGreaterThan', ['10'], '10', false],
  ['NumericGreaterThanEquals', ['10'], '10', true],
  ['NumericGreaterThanEquals', ['-1'], '-2', false],
  ['NumericGreaterThanEquals', ['10'], undefined, false],
  ['NumericLessThanIfExists', ['10'], undefined, true],
  ['NumericLessThan', ['1', '100'], '50', true], // OR over values
];

describe('Numeric operators', () => {
  it.each(rows)('%s %j vs %j -> %s', (...row) => {
    expect(runRow(row)).toBe(row[3]);
  });

  it.each([
    ['5', 5],
    ['-3', -3],
    ['+2', 2],
    ['2.5', 2.5],
    ['.5', 0.5],
    ['1.', 1],
    ['', undefined],
    ['1e3', undefined],
    ['0x10', undefined],
    [' 1', undefined],
    ['NaN', undefined],
    ['12abc', undefined],
  ])('parseNumber(%j) = %s', (text, expected) => {
    expect(parseNumber(text)).toBe(expected);
  });
});
