import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { rulesDoc } from '../../scripts/rules-doc';

it('docs/rules.md is generated from the registry and current (npx tsx scripts/rules-doc.ts --write)', () => {
  expect(readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'rules.md'), 'utf8')).toBe(rulesDoc());
});
