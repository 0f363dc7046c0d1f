// npm run corpus -- <dir>: prints a line per failed check, then `N passed, N failed`; exit 0 only when none failed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCorpus } from './corpus-lib';

const dir = process.argv[2] ?? join(import.meta.dirname, '..', '..', 'shared', 'corpus', 'key-policies', 'cases');
if (!existsSync(dir)) {
  console.error(`corpus: no such folder ${dir} (usage: npm run corpus -- <dir of case files>)`);
  process.exit(2);
}
const result = runCorpus(dir);
for (const f of result.failures) console.log(`FAIL ${f}`);
console.log(`${result.passed} passed, ${result.failed} failed`);
process.exit(result.failed === 0 ? 0 : 1);
