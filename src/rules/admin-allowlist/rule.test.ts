import { describe, expect, it } from 'vitest';
import { runRuleCases } from '../../../test/rules/run-cases';
import { globCovers } from './pins';
import { rule } from './rule';

runRuleCases(rule, import.meta.dirname);

describe('globCovers (is every value of the inner glob inside the outer one?)', () => {
  it.each([
    ['AROAOTTER*', 'AROAOTTER*', true],
    ['AROAOTTER*', 'AROAOTTER*:*', true],
    ['AROAOTTER*', 'aroaotterxyz:alice', true],
    ['AROAOTTER*', 'AROA*', false],
    ['AROAOTTER*', '*', false],
    ['AROA?OTTER*', 'AROA*OTTER*', false],
    ['AROA*OTTER*', 'AROA?OTTER1', true],
    ['arn:aws:iam::111122223333:role/Otter*', 'arn:aws:iam::111122223333:role/OtterAdmin-?', true],
    ['arn:aws:iam::111122223333:role/Otter', 'arn:aws:iam::111122223333:role/Otter*', false],
  ])('%s covers %s: %s', (outer, inner, want) => {
    expect(globCovers(outer, inner)).toBe(want);
  });
});
