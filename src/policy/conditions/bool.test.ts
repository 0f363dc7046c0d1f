import { describe, expect, it } from 'vitest';
import { type OperatorRow, runRow } from '../../../test/policy/helpers';

const rows: OperatorRow[] = [
  ['Bool', ['true'], 'true', true],
  ['Bool', ['true'], 'TRUE', true],
  ['Bool', ['True'], 'true', true],
  ['Bool', ['false'], 'true', false],
  ['Bool', ['false'], 'false', true],
  ['Bool', ['true'], 'yes', false], // not a boolean
  ['Bool', ['yes'], 'yes', false],
  ['Bool', ['false'], undefined, false],
  ['BoolIfExists', ['false'], undefined, true],
  ['BoolIfExists', ['false'], 'true', false],
  ['Bool', ['true', 'false'], 'false', true],
];

describe('Bool operator', () => {
  it.each(rows)('%s %j vs %j -> %s', (...row) => {
    expect(runRow(row)).toBe(row[3]);
  });
});
