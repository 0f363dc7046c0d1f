/**
 * CloudTrail delivered to CloudWatch Logs, read through Logs Insights (StartQuery / GetQueryResults): the query
 * returns each matching event's @message, the CloudTrail record. A query returns at most 10,000 rows: when it hits
 * that, the window is split in two and each half asked again, so nothing is cut off.
 */
import {
  type CloudWatchLogsClient,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { type CloudTrailEvent, parseCloudTrailEvent } from '../detect/event';
import { KMS_CRYPTO_OPERATIONS, keyIdOf } from '../detect/fields';
import type { EventQuery } from '../detect/run';
import { inWindow } from '../detect/time';
import { awsErrorText, type Clock } from './async';
import { ReadTally } from './report';
import type { TrailSource } from './source';

export const INSIGHTS_LIMIT = 10_000;
const NINETY_DAYS_MS = 90 * 86_400_000;
const POLL_MS = 1_000;

const quoted = (values: Iterable<string>) => `[${[...values].map((value) => JSON.stringify(value)).join(', ')}]`;
const KMS = 'eventSource = "kms.amazonaws.com"';
const RANSOM = ['ScheduleKeyDeletion', 'DisableKey', 'PutKeyPolicy'];

/** The Logs Insights filter of a query: the same superset as the investigation's SQL and record filter. */
export const insightsFilter = (query: EventQuery): string => {
  switch (query.investigation) {
    case 'exposures':
      return `${KMS} and eventName in ${quoted(['PutKeyPolicy', 'CreateKey', 'CreateGrant', 'RevokeGrant', 'RetireGrant'])}`;
    case 'ransom':
      return `${KMS} and eventName in ${quoted(RANSOM)}`;
    case 'outsiders':
      return `${KMS} and eventName in ${quoted(KMS_CRYPTO_OPERATIONS)}`;
    case 'key': {
      const id = keyIdOf(query.key ?? '') ?? query.key ?? '';
      return `${KMS} and (@message like ${JSON.stringify(id)} or eventName in ${quoted(RANSOM)})`;
    }
    case 'access-key': {
      const parts: string[] = [];
      if (query.accessKeyIds?.length) parts.push(`userIdentity.accessKeyId in ${quoted(query.accessKeyIds)}`);
      if (query.username) parts.push(`userIdentity.userName = ${JSON.stringify(query.username)}`);
      return parts.join(' or ') || 'false';
    }
  }
};

export const insightsQuery = (query: EventQuery): string =>
  `fields @message\n| filter ${insightsFilter(query)}\n| sort @timestamp asc\n| limit ${INSIGHTS_LIMIT}`;

export interface LogsSourceOptions {
  logGroup: string;
  client: CloudWatchLogsClient;
  clock: Clock;
}

export const logsSource = (options: LogsSourceOptions): TrailSource => {
  const tally = new ReadTally();
  const where = `logs:${options.logGroup}`;

  /** Run one Insights query over [start, end) (epoch seconds); undefined when it failed (reported). */
  const runQuery = async (queryString: string, start: number, end: number): Promise<string[] | undefined> => {
    let queryId: string | undefined;
    try {
      const started = await options.client.send(
        new StartQueryCommand({
          logGroupName: options.logGroup,
          startTime: start,
          endTime: end,
          queryString,
          limit: INSIGHTS_LIMIT,
        }),
      );
      queryId = started.queryId;
    } catch (error) {
      tally.fileError(where, `StartQuery failed: ${awsErrorText(error)}`);
      return undefined;
    }
    for (;;) {
      let page: GetQueryResultsCommandOutput;
      try {
        page = await options.client.send(new GetQueryResultsCommand({ queryId }));
      } catch (error) {
        tally.fileError(where, `GetQueryResults failed: ${awsErrorText(error)}`);
        return undefined;
      }
      if (page.status === 'Complete') {
        return (page.results ?? []).map((row) => row.find((field) => field.field === '@message')?.value ?? '');
      }
      if (page.status !== 'Running' && page.status !== 'Scheduled') {
        tally.fileError(where, `the Logs Insights query ended ${page.status ?? 'without a status'}`);
        return undefined;
      }
      await options.clock.sleep(POLL_MS);
    }
  };

  async function* window(
    queryString: string,
    query: EventQuery,
    start: number,
    end: number,
  ): AsyncGenerator<CloudTrailEvent[]> {
    const messages = await runQuery(queryString, start, end);
    if (!messages) return;
    if (messages.length >= INSIGHTS_LIMIT && end - start > 1) {
      const middle = Math.floor((start + end) / 2);
      yield* window(queryString, query, start, middle);
      yield* window(queryString, query, middle, end);
      return;
    }
    const events: CloudTrailEvent[] = [];
    for (const message of messages) {
      let record: unknown;
      try {
        record = JSON.parse(message);
      } catch {
        tally.invalidEvent(where, '@message is not JSON (is this log group a CloudTrail trail?)');
        continue;
      }
      const parsed = parseCloudTrailEvent(record);
      if (!parsed.ok) tally.invalidEvent(where, parsed.reason);
      else if (inWindow(parsed.event.eventTime, query.window)) events.push(parsed.event);
    }
    tally.fileRead(where, messages.length);
    if (events.length > 0) yield events;
  }

  return {
    description: `CloudWatch Logs Insights on ${options.logGroup}`,
    async *read(query) {
      const now = options.clock.now();
      const start = Math.floor((query.window.since ?? now - NINETY_DAYS_MS) / 1000);
      const end = Math.ceil((query.window.until ?? now) / 1000);
      yield* window(insightsQuery(query), query, start, end);
    },
    report: () => tally.report(),
  };
};
