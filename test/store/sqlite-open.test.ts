import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultDbPath, openSqliteStore } from '../../src/store/sqlite';
import { LATEST_SCHEMA_VERSION } from '../../src/store/sqlite/migrations';
import { at, KEY_ARN, snapshotOf } from './fixtures';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keywarden-open-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const reasonOf = (path: string): string => {
  const opened = openSqliteStore({ path });
  if (opened.ok) throw new Error(`expected ${path} to be refused`);
  return opened.reason;
};

describe('defaultDbPath', () => {
  it('is ~/.keywarden/keywarden.db unless KEYWARDEN_DB says otherwise', () => {
    expect(defaultDbPath({}, '/home/ana')).toBe('/home/ana/.keywarden/keywarden.db');
    expect(defaultDbPath({ KEYWARDEN_DB: '/var/lib/kw.db' }, '/home/ana')).toBe('/var/lib/kw.db');
    expect(defaultDbPath({ KEYWARDEN_DB: '  ' }, '/home/ana')).toBe('/home/ana/.keywarden/keywarden.db');
  });
});

describe('openSqliteStore', () => {
  it('creates the directory and a migrated WAL database, and reopens it with its data', async () => {
    const path = join(dir, 'nested', 'state', 'keywarden.db');
    const first = openSqliteStore({ path });
    if (!first.ok) throw new Error(first.reason);
    await first.value.saveSnapshot(snapshotOf('1234abcd-12ab-34cd-56ef-1234567890ab', at(0)));
    await first.value.close();

    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();

    const again = openSqliteStore({ path });
    if (!again.ok) throw new Error(again.reason);
    expect((await again.value.getLatestSnapshot(KEY_ARN))?.asOf).toBe(at(0));
    await again.value.close();
  });

  it('refuses a file that is not an SQLite database', () => {
    const path = join(dir, 'notes.db');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(100));
    expect(reasonOf(path)).toMatch(/notes\.db is not an SQLite database .*choose another file with --db/);
  });

  it('refuses an SQLite database of another application, naming its tables', () => {
    const path = join(dir, 'other.db');
    const other = new Database(path);
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
    other.close();
    expect(reasonOf(path)).toMatch(/other\.db is an SQLite database but not a keywarden database .*invoices/);
  });

  it('refuses a keywarden database written by a newer version', async () => {
    const path = join(dir, 'keywarden.db');
    const created = openSqliteStore({ path });
    if (!created.ok) throw new Error(created.reason);
    await created.value.close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    expect(reasonOf(path)).toMatch(
      new RegExp(`newer keywarden \\(schema version ${LATEST_SCHEMA_VERSION + 1}; .*upgrade keywarden`),
    );
  });

  it('says so when the path cannot be opened', () => {
    const path = join(dir, 'a-directory');
    mkdirSync(path);
    expect(reasonOf(path)).toMatch(/a-directory/);
  });
});
