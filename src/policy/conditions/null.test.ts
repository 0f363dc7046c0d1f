import { describe, expect, it } from 'vitest';
import { type OperatorRow, runRow } from '../../../test/policy/helpers';

const rows: OperatorRow[] = [
  ['Null', ['true'], undefined, true], // "true": must be absent
  ['Null', ['true'], 'x', false],
  ['Null', ['false'], 'x', true], // "false": must be present
  ['Null', ['false'], undefined, false],
  ['Null', ['false'], ['a', 'b'], true],
  ['Null', ['false'], [], true], // an empty list is present
  ['Null', ['TRUE'], undefined, true],
  ['Null', ['true', 'false'], 'x', true],
  ['Null', ['maybe'], undefined, false],
];

describe('Null operator', () => {
  it.each(rows)('%s %j vs %j -> %s', (...row) => {
    expect(runRow(row)).toBe(row[3]);
  });
});
