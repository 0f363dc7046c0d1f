import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluate, parsePolicyValue } from '../../src/policy';
import type { ContextValue, Decision } from '../../src/policy/types';

/**
 * Every request of every shared corpus case without grants: our evaluate() must give the expected decision.
 * (Cases with grants are run by the KMS layer.)
 */

interface CorpusCase {
  id: string;
  keyPolicy: unknown;
  grants?: unknown[];
  expect: {
    requests: { principal: string; action: string; context?: Record<string, ContextValue>; decision: Decision }[];
  };
}

const casesDir = fileURLToPath(new URL('../../../shared/corpus/key-policies/cases', import.meta.url));

if (!existsSync(casesDir)) {
  describe('corpus decisions', () => {
    it.skip(`skipped: the shared corpus is absent (${casesDir} does not exist)`, () => {});
  });
} else {
  const cases = readdirSync(casesDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(`${casesDir}/${f}`, 'utf8')) as CorpusCase)
    .filter((c) => c.grants === undefined);

  describe('corpus decisions (cases without grants)', () => {
    it('has cases to run', () => {
      expect(cases.length).toBeGreaterThan(30);
    });
    for (const corpusCase of cases) {
      it(corpusCase.id, () => {
        const parsed = parsePolicyValue(corpusCase.keyPolicy);
        if (!parsed.ok) throw new Error(`policy rejected: ${JSON.stringify(parsed.errors)}`);
        for (const request of corpusCase.expect.requests) {
          const { decision } = evaluate(parsed.policy, request);
          expect({ ...request, decision }).toEqual(request);
        }
      });
    }
  });
}
