import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { type Known, known, unknown } from '../../kms/known';
import { describeError } from '../errors';
import type { RetentionOptions } from '../store';
import { KEYWARDEN_APPLICATION_ID, LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';
import { SqliteStore } from './sqlite-store';

/** `~/.keywarden/keywarden.db`, or `KEYWARDEN_DB` when set. The CLI's `--db` wins over both. */
export const defaultDbPath = (env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string => {
  const fromEnv = env.KEYWARDEN_DB?.trim();
  return fromEnv ? fromEnv : join(home, '.keywarden', 'keywarden.db');
};

export interface SqliteStoreOptions {
  /** File path, or ':memory:'. Default `defaultDbPath()`. */
  path?: string;
  retention?: RetentionOptions;
  /** How long a write waits for another process's write to finish. Default 5000 ms. */
  busyTimeoutMs?: number;
}

/** Open (creating and migrating when needed) a keywarden SQLite store, or say why it cannot be opened. */
export const openSqliteStore = (options: SqliteStoreOptions = {}): Known<SqliteStore> => {
  const path = options.path ?? defaultDbPath();
  const how = `choose another file with --db or KEYWARDEN_DB`;
  if (path !== ':memory:') {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    } catch (error) {
      return unknown(`cannot create the directory of the keywarden database ${path}: ${describeError(error)}; ${how}`);
    }
  }
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (error) {
    return unknown(`cannot open the keywarden database ${path}: ${describeError(error)}; ${how}`);
  }
  const prepared = prepare(db, path, options.busyTimeoutMs ?? 5000);
  if (!prepared.ok) {
    db.close();
    return unknown(`${prepared.reason}; ${how}`);
  }
  return known(new SqliteStore(db, path, options.retention));
};

const prepare = (db: Database.Database, path: string, busyTimeoutMs: number): Known<void> => {
  let applicationId: number;
  let version: number;
  let tables: string[];
  try {
    applicationId = db.pragma('application_id', { simple: true }) as number;
    version = db.pragma('user_version', { simple: true }) as number;
    tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => row.name);
  } catch (error) {
    return unknown(`${path} is not an SQLite database (${describeError(error)})`);
  }
  if (applicationId !== KEYWARDEN_APPLICATION_ID && (applicationId !== 0 || tables.length > 0 || version !== 0)) {
    const holds = tables.length > 0 ? ` (it holds the tables ${tables.slice(0, 5).join(', ')})` : '';
    return unknown(`${path} is an SQLite database but not a keywarden database${holds}`);
  }
  if (version > LATEST_SCHEMA_VERSION) {
    return unknown(
      `${path} was written by a newer keywarden (schema version ${version}; this keywarden knows up to ` +
        `${LATEST_SCHEMA_VERSION}): upgrade keywarden to use it`,
    );
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db, version);
  } catch (error) {
    return unknown(`cannot prepare the keywarden database ${path}: ${describeError(error)}`);
  }
  return known(undefined);
};

const migrate = (db: Database.Database, from: number): void => {
  for (const migration of MIGRATIONS) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      // A second process may have migrated while we waited for the write lock.
      if ((db.pragma('user_version', { simple: true }) as number) >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`application_id = ${KEYWARDEN_APPLICATION_ID}`);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
};
