import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite';
import { storeContract } from './contract';

storeContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-store-'));
  const path = join(dir, 'keywarden.db');
  return {
    // Each open is another connection to the same file, as a second keywarden process would have.
    open: async () => {
      const opened = openSqliteStore({ path });
      if (!opened.ok) throw new Error(opened.reason);
      return opened.value;
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
