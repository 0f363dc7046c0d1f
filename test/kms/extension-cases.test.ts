import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCorpus } from '../../scripts/corpus-lib';

it('keywarden extensions of the corpus definitions hold (test/kms/cases, documented in docs/access-analysis.md)', () => {
  const result = runCorpus(join(import.meta.dirname, 'cases'));
  expect(result.failures).toEqual([]);
  expect(result.passed).toBeGreaterThanOrEqual(15);
});
