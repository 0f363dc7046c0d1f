/**
 * A folder of CloudTrail logs queried through the local DuckDB database: new or changed files are loaded first,
 * then each investigation runs as its SQL (the same text Athena runs) and the rows come back as records.
 */
import { type CloudTrailEvent, parseCloudTrailEvent } from '../detect/event';
import type { ReadReport } from '../detect/read-report';
import type { EventQuery } from '../detect/run';
import { inWindow } from '../detect/time';
import { TrailDatabase } from './duckdb-store';
import { listTrailFiles } from './files';
import { ReadTally } from './report';
import type { TrailSource } from './source';
import { investigationSql } from './sql/queries';
import { rowToRecord } from './sql/rows';

export interface DuckDbSourceOptions {
  /** The database file (the cache); `:memory:` for none. */
  database: string;
  /** The files to read, when not every log file under `root` (an S3 selection synced to a cache). */
  files?: () => Promise<string[]>;
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
      let files: string[];
      if (options.files) files = await options.files();
      else {
        const list = await listTrailFiles(root);
        if (!list.ok) loadError = list.reason;
        files = list.ok ? list.files : [];
      }
      if (files.length === 0) loadError ??= `no CloudTrail log files (*.json, *.json.gz, *.jsonl) under ${root}`;
      await db.load(files);
      lastReport = await db.report();
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
      const sql = investigationSql(query, 'cloudtrail', [TrailDatabase.SELECTED]);
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
      const db = await opened?.catch(() => undefined);
      db?.close();
    },
  };
};
