/**
 * A folder of CloudTrail logs queried through the local DuckDB database: new or changed files are loaded first,
 * then each investigation runs as its SQL (the same text Athena runs) and the rows come back as records.
 */
import { type CloudTrailEvent, parseCloudTrailEvent } from '../detect/event';
import type { ReadReport } from '../detect/read-report';
import type { EventQuery } from '../detect/run';
import { inWindow } from '../detect/time';
import { TrailDatabase } from './duckdb-store';
import { ReadTally } from './report';
import type { TrailSource } from './source';
import { investigationSql, sqlString } from './sql/queries';
import { rowToRecord } from './sql/rows';

export interface DuckDbSourceOptions {
  /** The database file (the cache); `:memory:` for none. */
  database: string;
}

export const duckdbSource = (root: string, options: DuckDbSourceOptions): TrailSource => {
  let opened: Promise<TrailDatabase> | undefined;
  let loadError: string | undefined;
  let loaded = false;
  const rowProblems = new ReadTally();
  let lastReport: ReadReport = { files: 0, events: 0, invalidEvents: 0, unreadableFiles: 0, problems: [] };
  const open = async (): Promise<TrailDatabase> => {
    opened ??= TrailDatabase.open(options.database);
    const db = await opened;
    if (!loaded) {
      loaded = true;
      const result = await db.load(root);
      if (!result.ok) loadError = result.reason;
      lastReport = await db.report(root);
    }
    return db;
  };
  return {
    description: `${root} (DuckDB ${options.database})`,
    async *read(query: EventQuery) {
      let db: TrailDatabase;
      try {
        db = await open();
      } catch (error) {
        loadError = `the DuckDB database ${options.database} cannot be opened: ${(error as Error).message.split('\n')[0]}`;
        return;
      }
      if (loadError) return;
      const sql = investigationSql(query, 'cloudtrail', [`starts_with(file, ${sqlString(root)})`]);
      if (!sql.ok) {
        rowProblems.fileError(root, sql.reason);
        return;
      }
      for await (const rows of db.stream(sql.sql)) {
        const events: CloudTrailEvent[] = [];
        for (const row of rows) {
          const parsed = parseCloudTrailEvent(rowToRecord(row));
          if (!parsed.ok) rowProblems.invalidEvent(`${root} (DuckDB rows)`, parsed.reason);
          else if (inWindow(parsed.event.eventTime, query.window)) events.push(parsed.event);
        }
        if (events.length > 0) yield events;
      }
    },
    report() {
      const extra = rowProblems.report();
      const problems = [...lastReport.problems, ...extra.problems];
      if (loadError) problems.unshift({ file: root, events: 0, invalidEvents: 0, reasons: [], error: loadError });
      return {
        ...lastReport,
        invalidEvents: lastReport.invalidEvents + extra.invalidEvents,
        unreadableFiles: lastReport.unreadableFiles + (loadError ? 1 : 0),
        problems,
      };
    },
    async close() {
      if (opened) (await opened).close();
    },
  };
};
