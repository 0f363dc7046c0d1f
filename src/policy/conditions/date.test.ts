import { describe, expect, it } from 'vitest';
import { type OperatorRow, runRow } from '../../../test/policy/helpers';
import { parseDate } from './date';

const rows: OperatorRow[] = [
  ['DateEquals', ['2024-05-01T00:00:00Z'], '2024-05-01T00:00:00Z', true],
  ['DateEquals', ['2024-05-01T00:00:00Z'], '1714521600', true], // epoch seconds
  ['DateEquals', ['1714521600'], '2024-05-01', true], // date only = midnight UTC
  ['DateEquals', ['2024-05-01T02:00:00+02:00'], '2024-05-01T00:00:00Z', true],
  ['DateNotEquals', ['2024-05-01T00:00:00Z'], '2024-05-01T00:00:01Z', true],
  ['DateNotEquals', ['2024-05-01T00:00:00Z'], 'yesterday', false], // not a date: not comparable
  ['DateLessThan', ['2024-05-01T00:00:00Z'], '2024-04-30T23:59:59Z', true],
  ['DateLessThan', ['2024-05-01T00:00:00Z'], '2024-05-01T00:00:00Z', false],
  ['DateLessThanEquals', ['2024-05-01T00:00:00Z'], '2024-05-01T00:00:00Z', true],
  ['DateGreaterThan', ['2024-05-01T00:00:00Z'], '2024-05-01T00:00:00.001Z', true],
  ['DateGreaterThan', ['2024-05-01T00:00:00Z'], '2024-05-01T00:00:00Z', false],
  ['DateGreaterThanEquals', ['2024-05-01'], '2024-05-01T00:00:00Z', true],
  ['DateGreaterThanEquals', ['2024-05-01'], undefined, false],
  ['DateLessThanIfExists', ['2024-05-01'], undefined, true],
  ['DateEquals', ['not a date'], 'not a date', false],
];

describe('Date operators', () => {
  it.each(rows)('%s %j vs %j -> %s', (...row) => {
    expect(runRow(row)).toBe(row[3]);
  });

  it.each([
    ['1714521600', Date.UTC(2024, 4, 1)],
    ['2024-05-01', Date.UTC(2024, 4, 1)],
    ['2024-05-01T10:20:30Z', Date.UTC(2024, 4, 1, 10, 20, 30)],
    ['2024-05-01T10:20:30.5Z', Date.UTC(2024, 4, 1, 10, 20, 30, 500)],
    ['2024-05-01T10:20:30', Date.UTC(2024, 4, 1, 10, 20, 30)], // no offset: UTC, never the machine's zone
    ['2024-05-01T10:20:30-0130', Date.UTC(2024, 4, 1, 11, 50, 30)],
    ['2024-02-30', undefined],
    ['2024-13-01', undefined],
    ['May 1 2024', undefined],
    ['', undefined],
  ])('parseDate(%j) = %s', (text, expected) => {
    expect(parseDate(text)).toBe(expected);
  });
});
