/** Opening the store for the CLI: SQLite at --db, else $KEYWARDEN_DB, else ~/.keywarden/keywarden.db. */

import { defaultDbPath, openSqliteStore } from '../store/sqlite';
import type { Store } from '../store/store';
import { UsageError } from './common';

export function openStore(path: string | undefined): Store {
  const opened = openSqliteStore({ path: path ?? defaultDbPath() });
  if (!opened.ok) throw new UsageError(opened.reason);
  return opened.value;
}
