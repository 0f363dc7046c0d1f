import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCorpus } from '../../scripts/corpus-lib';

const CASES = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'key-policies', 'cases');

describe('shared key-policy corpus', () => {
  it.skipIf(!existsSync(CASES))(`every check of every case passes (${CASES})`, () => {
    const result = runCorpus(CASES);
    expect(result.failures).toEqual([]);
    expect(result.passed).toBeGreaterThan(300);
  });
  it.runIf(!existsSync(CASES))('is skipped: ../shared/corpus/key-policies/cases is absent', () => {
    console.warn(`skipping the key-policy corpus: ${CASES} is absent`);
  });
});
