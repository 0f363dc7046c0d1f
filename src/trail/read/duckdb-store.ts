/**
 * A local DuckDB database of CloudTrail events: log files are loaded in place with read_json (gzip included, the
 * Records array unnested) into a table named and typed like Athena's CloudTrail table, once per file: a file is
 * loaded again only when its size or modification time changed, so repeated questions are fast.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { FileProblems, ReadReport } from '../detect/read-report';
import type { SqlRow } from './sql/rows';
import { DUCKDB_INSERT_SELECT, DUCKDB_MACROS, DUCKDB_TABLE_DDL, RECORD_COLUMNS, RECORD_STRUCT } from './sql/schema';

const LOADED_FILES_DDL = `CREATE TABLE IF NOT EXISTS loaded_files (
  path VARCHAR PRIMARY KEY, size BIGINT, mtime DOUBLE, events BIGINT, invalid BIGINT, error VARCHAR)`;

const quote = (value: string): string => `'${value.replace(/'/g, "''")}'`;
const fileList = (files: string[]): string => `[${files.map(quote).join(', ')}]`;
const REQUIRED_MISSING = (x: string) => `${x}.eventTime IS NULL OR ${x}.eventSource IS NULL OR ${x}.eventName IS NULL`;

/** DuckDB's first message line, without the hint paragraphs. */
const shortError = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 300) ?? 'unknown error';

export interface LoadResult {
  loaded: number;
  reused: number;
}

export class TrailDatabase {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /** Open (or create) the database; `:memory:` for a throwaway one. */
  static async open(path: string): Promise<TrailDatabase> {
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run(DUCKDB_TABLE_DDL);
    await connection.run(LOADED_FILES_DDL);
    for (const macro of DUCKDB_MACROS) await connection.run(macro);
    return new TrailDatabase(instance, connection);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  async rows(sql: string): Promise<Array<Record<string, unknown>>> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Array<Record<string, unknown>>;
  }

  /** Rows in batches, streamed (a busy key's timeline can be large). */
  async *stream(sql: string): AsyncGenerator<SqlRow[]> {
    const result = await this.connection.stream(sql);
    for await (const rows of result.yieldRowObjectJson()) yield rows as SqlRow[];
  }

  /**
   * Select the files later queries read (a temp table), and load those that are new or changed since they were last
   * loaded.
   */
  async load(files: string[]): Promise<LoadResult> {
    await this.connection.run(
      `CREATE OR REPLACE TEMP TABLE selected_files AS SELECT unnest(${files.length > 0 ? fileList(files) : '[]::VARCHAR[]'}) AS path`,
    );
    const known = new Map(
      (await this.rows('SELECT l.path, l.size, l.mtime FROM loaded_files l JOIN selected_files USING (path)')).map(
        (row) => [row.path as string, `${row.size}/${row.mtime}`],
      ),
    );
    const stale: Array<{ path: string; size: number; mtime: number }> = [];
    for (const path of files) {
      const info = await stat(path);
      if (known.get(path) !== `${info.size}/${info.mtimeMs}`)
        stale.push({ path, size: info.size, mtime: info.mtimeMs });
    }
    if (stale.length > 0) {
      const paths = fileList(stale.map((file) => file.path));
      await this.connection.run(`DELETE FROM cloudtrail WHERE list_contains(${paths}, file)`);
      await this.connection.run(`DELETE FROM loaded_files WHERE list_contains(${paths}, path)`);
    }
    for (let start = 0; start < stale.length; start += 200) {
      const batch = stale.slice(start, start + 200);
      try {
        await this.loadBatch(batch);
      } catch {
        for (const file of batch) {
          try {
            await this.loadBatch([file]);
          } catch (error) {
            await this.record(file, 0, 0, `cannot be read: ${shortError(error)}`);
          }
        }
      }
    }
    return { loaded: stale.length, reused: files.length - stale.length };
  }

  /** The condition that keeps a query to the selected files. */
  static readonly SELECTED = 'file IN (SELECT path FROM selected_files)';

  private async record(
    file: { path: string; size: number; mtime: number },
    events: number,
    invalid: number,
    error?: string,
  ) {
    await this.recordAll([{ file, events, invalid, ...(error ? { error } : {}) }]);
  }

  private async recordAll(
    entries: Array<{
      file: { path: string; size: number; mtime: number };
      events: number;
      invalid: number;
      error?: string;
    }>,
  ) {
    if (entries.length === 0) return;
    const values = entries.map(
      ({ file, events, invalid, error }) =>
        `(${quote(file.path)}, ${file.size}, ${file.mtime}, ${events}, ${invalid}, ${error ? quote(error) : 'NULL'})`,
    );
    await this.connection.run(`INSERT OR REPLACE INTO loaded_files VALUES ${values.join(', ')}`);
  }

  /** One read_json over the batch: Records files go in; files without a Records array are read as bare records. */
  private async loadBatch(files: Array<{ path: string; size: number; mtime: number }>): Promise<void> {
    let counts: Array<Record<string, unknown>>;
    await this.connection.run('BEGIN TRANSACTION');
    try {
      await this.connection.run(
        `CREATE OR REPLACE TEMP TABLE staged AS SELECT filename AS file, Records FROM read_json(${fileList(files.map((f) => f.path))}, filename = true, columns = {'Records': '${RECORD_STRUCT}[]'})`,
      );
      await this.connection.run(
        `INSERT INTO cloudtrail SELECT file, ${DUCKDB_INSERT_SELECT} FROM (SELECT file, unnest(Records) AS r FROM staged) WHERE NOT (${REQUIRED_MISSING('r')})`,
      );
      counts = await this.rows(
        `SELECT file, Records IS NULL AS bare, coalesce(len(Records), 0) AS events, coalesce(len(list_filter(Records, lambda x: ${REQUIRED_MISSING('x')})), 0) AS invalid FROM staged`,
      );
      await this.connection.run('COMMIT');
    } catch (error) {
      await this.connection.run('ROLLBACK');
      throw error;
    }
    const byPath = new Map(files.map((file) => [file.path, file]));
    const recorded: Array<{ file: { path: string; size: number; mtime: number }; events: number; invalid: number }> =
      [];
    for (const count of counts) {
      const file = byPath.get(count.file as string);
      if (!file) continue;
      if (count.bare === true) await this.loadBare(file);
      else recorded.push({ file, events: Number(count.events), invalid: Number(count.invalid) });
    }
    await this.recordAll(recorded);
  }

  /** A file of bare records (one event, an array of events, JSON lines): read_json's auto format. */
  private async loadBare(file: { path: string; size: number; mtime: number }): Promise<void> {
    try {
      await this.connection.run(
        `CREATE OR REPLACE TEMP TABLE bare AS SELECT * FROM read_json(${quote(file.path)}, format = 'auto', columns = ${RECORD_COLUMNS})`,
      );
      const [count] = await this.rows(
        `SELECT count(*) AS events, count(*) FILTER (WHERE ${REQUIRED_MISSING('bare')}) AS invalid FROM bare`,
      );
      const events = Number(count?.events ?? 0);
      const invalid = Number(count?.invalid ?? 0);
      if (events === invalid) {
        await this.record(
          file,
          0,
          0,
          'no CloudTrail records: expected a "Records" array or events with eventName and eventTime',
        );
        return;
      }
      await this.connection.run(
        `INSERT INTO cloudtrail SELECT ${quote(file.path)}, ${DUCKDB_INSERT_SELECT} FROM (SELECT bare AS r FROM bare) WHERE NOT (${REQUIRED_MISSING('r')})`,
      );
      await this.record(file, events, invalid);
    } catch (error) {
      await this.record(file, 0, 0, `cannot be read: ${shortError(error)}`);
    }
  }

  /** What loading found, for the selected files. */
  async report(): Promise<ReadReport> {
    const rows = await this.rows(
      'SELECT path, events, invalid, error FROM loaded_files JOIN selected_files USING (path) ORDER BY path',
    );
    const problems: FileProblems[] = rows
      .filter((row) => row.error || Number(row.invalid) > 0)
      .map((row) => ({
        file: row.path as string,
        events: Number(row.events),
        invalidEvents: Number(row.invalid),
        reasons:
          Number(row.invalid) > 0
            ? [
                {
                  reason: 'not a CloudTrail record: missing eventTime, eventSource or eventName',
                  count: Number(row.invalid),
                },
              ]
            : [],
        ...(row.error ? { error: row.error as string } : {}),
      }));
    return {
      files: rows.filter((row) => !row.error).length,
      events: rows.reduce((sum, row) => sum + Number(row.events), 0),
      invalidEvents: rows.reduce((sum, row) => sum + Number(row.invalid), 0),
      unreadableFiles: rows.filter((row) => row.error).length,
      problems,
    };
  }
}
