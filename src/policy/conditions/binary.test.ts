import { describe, expect, it } from 'vitest';
import { type OperatorRow, runRow } from '../../../test/policy/helpers';

const rows: OperatorRow[] = [
  ['BinaryEquals', ['QmluYXJ5VmFsdWU='], 'QmluYXJ5VmFsdWU=', true],
  ['BinaryEquals', ['QmluYXJ5VmFsdWU='], 'qmluyxj5vmfsdwu=', false], // base64 is case-sensitive
  ['BinaryEquals', ['QmluYXJ5VmFsdWU=', 'AAAA'], 'AAAA', true],
  ['BinaryEquals', ['AAAA'], undefined, false],
  ['BinaryEqualsIfExists', ['AAAA'], undefined, true],
];

describe('BinaryEquals operator', () => {
  it.each(rows)('%s %j vs %j -> %s', (...row) => {
    expect(runRow(row)).toBe(row[3]);
  });
});
