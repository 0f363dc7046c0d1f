export { defaultDbPath, openSqliteStore, type SqliteStoreOptions } from './open';
export { SqliteStore } from './sqlite-store';
