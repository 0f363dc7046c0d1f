/**
 * Athena, for trails that outgrow one machine: the CloudTrail table with partition projection is created (or
 * reused), and each investigation runs as the same SQL DuckDB runs locally (StartQueryExecution, GetQueryExecution
 * until it ends, GetQueryResults page by page); the rows come back as records for the same detections.
 */
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { type CloudTrailEvent, parseCloudTrailEvent } from '../detect/event';
import type { EventQuery } from '../detect/run';
import { inWindow } from '../detect/time';
import { awsErrorText, type Clock } from './async';
import { ReadTally } from './report';
import type { TrailSource } from './source';
import { investigationSql, sqlString } from './sql/queries';
import { rowToRecord, type SqlRow } from './sql/rows';
import { athenaTableDdl } from './sql/schema';

export interface AthenaOptions {
  client: AthenaClient;
  database: string;
  table: string;
  workgroup?: string;
  /** s3:// location for query results (required unless the workgroup enforces one). */
  outputLocation?: string;
  /** Where CloudTrail writes: s3://bucket/prefix/AWSLogs/ (or .../AWSLogs/o-orgid/). */
  logsLocation: string;
  accounts: string[];
  regions: string[];
  /** yyyy/MM/dd: the first day the table projects. */
  firstDay: string;
  /** Create the table when it does not exist (CREATE EXTERNAL TABLE IF NOT EXISTS). */
  createTable: boolean;
  clock: Clock;
}

const POLL_MS = 1_000;
const DAY_MS = 86_400_000;
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');

/** Partition filters for the window: CloudTrail may deliver an event in the next day's folder, so one day of slack. */
export const partitionConditions = (
  query: EventQuery,
  options: Pick<AthenaOptions, 'accounts' | 'regions'>,
): string[] => {
  const conditions: string[] = [];
  if (query.window.since !== undefined) conditions.push(`day >= ${sqlString(day(query.window.since - DAY_MS))}`);
  if (query.window.until !== undefined) conditions.push(`day <= ${sqlString(day(query.window.until + DAY_MS))}`);
  if (options.accounts.length > 0) conditions.push(`account IN (${options.accounts.map(sqlString).join(', ')})`);
  if (options.regions.length > 0) conditions.push(`region IN (${options.regions.map(sqlString).join(', ')})`);
  return conditions;
};

export const athenaSource = (options: AthenaOptions): TrailSource => {
  const tally = new ReadTally();
  const table = `"${options.database}"."${options.table}"`;
  let tableReady: Promise<boolean> | undefined;

  /** Start a query and wait for it; the execution id, or undefined when it failed (reported under `where`). */
  const execute = async (sql: string, where: string): Promise<string | undefined> => {
    let id: string | undefined;
    try {
      const started = await options.client.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          QueryExecutionContext: { Database: options.database },
          ...(options.workgroup ? { WorkGroup: options.workgroup } : {}),
          ...(options.outputLocation ? { ResultConfiguration: { OutputLocation: options.outputLocation } } : {}),
        }),
      );
      id = started.QueryExecutionId;
    } catch (error) {
      tally.fileError(where, `StartQueryExecution failed: ${awsErrorText(error)}`);
      return undefined;
    }
    for (;;) {
      try {
        const execution = await options.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
        const status = execution.QueryExecution?.Status;
        if (status?.State === 'SUCCEEDED') return id;
        if (status?.State === 'FAILED' || status?.State === 'CANCELLED') {
          tally.fileError(where, `the Athena query ${status.State}: ${status.StateChangeReason ?? 'no reason given'}`);
          return undefined;
        }
      } catch (error) {
        tally.fileError(where, `GetQueryExecution failed: ${awsErrorText(error)}`);
        return undefined;
      }
      await options.clock.sleep(POLL_MS);
    }
  };

  const ensureTable = (): Promise<boolean> => {
    tableReady ??= options.createTable
      ? execute(athenaTableDdl(options), `athena:${options.database}.${options.table} (CREATE TABLE)`).then(Boolean)
      : Promise.resolve(true);
    return tableReady;
  };

  async function* rowsOf(id: string, where: string): AsyncGenerator<SqlRow[]> {
    let NextToken: string | undefined;
    let first = true;
    do {
      let page: GetQueryResultsCommandOutput;
      try {
        page = await options.client.send(
          new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, NextToken }),
        );
      } catch (error) {
        tally.fileError(where, `GetQueryResults failed: ${awsErrorText(error)}`);
        return;
      }
      const names = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((column) => column.Name ?? '');
      const rows = (page.ResultSet?.Rows ?? []).map((row) =>
        Object.fromEntries(names.map((name, index) => [name, row.Data?.[index]?.VarCharValue ?? null])),
      );
      // The first row of the first page of a SELECT repeats the column names.
      if (first && rows[0] && names.every((name) => rows[0]?.[name] === name)) rows.shift();
      first = false;
      tally.fileRead(where, rows.length);
      yield rows;
      NextToken = page.NextToken;
    } while (NextToken);
  }

  return {
    description: `Athena ${options.database}.${options.table} over ${options.logsLocation}`,
    async *read(query) {
      const where = `athena:${options.database}.${options.table} (${query.investigation})`;
      if (!(await ensureTable())) return;
      const sql = investigationSql(query, table, partitionConditions(query, options));
      if (!sql.ok) {
        tally.fileError(where, sql.reason);
        return;
      }
      const id = await execute(sql.sql, where);
      if (!id) return;
      for await (const rows of rowsOf(id, where)) {
        const events: CloudTrailEvent[] = [];
        for (const row of rows) {
          const parsed = parseCloudTrailEvent(rowToRecord(row));
          if (!parsed.ok) tally.invalidEvent(where, parsed.reason);
          else if (inWindow(parsed.event.eventTime, query.window)) events.push(parsed.event);
        }
        if (events.length > 0) yield events;
      }
    },
    report: () => tally.report(),
  };
};
