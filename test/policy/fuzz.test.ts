import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicyText, parsePolicyValue } from '../../src/policy';
import { validPolicy } from './arbitraries';
import { fuzzText, fuzzValue } from './fuzz-checks';
import { deepText, mutatedPolicy, policyText } from './mutations';

/**
 * 10,000 generated policies: valid ones always parse; mutated and malformed ones never throw, and every rejection
 * has a message and a pointer into the input. (bench/policy/fuzz-100k.ts runs the same with 100,000.)
 */

describe('policy parser fuzz (10,000 inputs)', () => {
  it('parses every generated valid policy (2,000)', () => {
    fc.assert(
      fc.property(validPolicy, (policy) => {
        const result = parsePolicyValue(policy);
        if (!result.ok) throw new Error(JSON.stringify(result.errors));
        const statements = Array.isArray(policy.Statement) ? policy.Statement.length : 1;
        expect(result.policy.statements).toHaveLength(statements);
        expect(parsePolicyText(JSON.stringify(policy)).ok).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('rejects mutated policies cleanly (5,000)', () => {
    let rejected = 0;
    fc.assert(
      fc.property(mutatedPolicy, (value) => {
        const outcome = fuzzValue(value);
        expect(outcome.problems).toEqual([]);
        if (!outcome.ok) rejected++;
      }),
      { numRuns: 5_000 },
    );
    expect(rejected).toBeGreaterThan(2_500); // most mutations break the policy
  });

  it('handles malformed and hostile text (3,000)', () => {
    let malformed = 0;
    fc.assert(
      fc.property(policyText, (text) => {
        const outcome = fuzzText(text);
        expect(outcome.problems).toEqual([]);
        if (!outcome.ok) malformed++;
      }),
      { numRuns: 3_000 },
    );
    expect(malformed).toBeGreaterThan(1_000);
  });

  it('reads 10,000-deep nesting as an error, not a crash', () => {
    for (const kind of ['array', 'object'] as const) {
      for (const close of [true, false]) {
        expect(fuzzText(deepText(10_000, kind, close)).problems).toEqual([]);
      }
    }
  });
});
