/**
 * One `keywarden trail` run: open the source, run the investigation, render it, and choose the exit code
 * (2: bad usage or nothing readable, 1: something flagged, 0: nothing flagged). Errors are values with a message a
 * user can act on; nothing here throws on bad input.
 */
import { isAccessKeyId } from '../detect/access-key';
import { keyIdOf } from '../detect/fields';
import { INVESTIGATIONS, type InvestigationName } from '../detect/investigation';
import type { JudgePolicy } from '../detect/judge';
import type { ReadReport } from '../detect/read-report';
import { runInvestigation, SUBJECT_OF } from '../detect/run';
import { renderInvestigation } from '../detect/tables';
import { isoSeconds, parseTimeWindow, type TimeWindow } from '../detect/time';
import type { Clock } from './async';
import { type AthenaSettings, type AwsClients, openSource } from './open';
import type { TrailSource } from './source';

export interface TrailRequest {
  investigation: string;
  source: string;
  subject?: string;
  since?: string;
  until?: string;
  format: string;
  engine: string;
  cacheDir: string;
  database?: string;
  accounts?: string[];
  regions?: string[];
  trustedAccounts?: string[];
  ransom?: { threshold?: number; windowMinutes?: number };
  athena?: Omit<AthenaSettings, 'firstDay'> & { firstDay?: string };
}

export interface TrailOutcome {
  exitCode: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

export interface TrailDeps {
  judgePolicy: JudgePolicy;
  clients: () => AwsClients;
  clock: Clock;
}

/** IAM user names: letters, digits and +=,.@_- (up to 64). */
const IAM_USER_NAME = /^[\w+=,.@-]{1,64}$/;

const usage = (message: string): TrailOutcome => ({ exitCode: 2, stdout: '', stderr: `keywarden trail: ${message}\n` });

const isInvestigation = (name: string): name is InvestigationName =>
  (INVESTIGATIONS as readonly string[]).includes(name);

/** Nothing at all could be read: every file or API call failed, or there was nothing there. */
const unreadable = (report: ReadReport): boolean => report.files === 0 && report.unreadableFiles > 0;

export const investigateTrail = async (request: TrailRequest, deps: TrailDeps): Promise<TrailOutcome> => {
  if (!isInvestigation(request.investigation)) {
    return usage(`unknown investigation "${request.investigation}": use one of ${INVESTIGATIONS.join(', ')}`);
  }
  const name = request.investigation;
  if (request.format !== 'table' && request.format !== 'json')
    return usage(`--format must be table or json, not "${request.format}"`);
  if (request.engine !== 'stream' && request.engine !== 'duckdb') {
    return usage(`--engine must be stream or duckdb, not "${request.engine}"`);
  }
  const needs = SUBJECT_OF[name];
  if (needs && !request.subject) return usage(`trail ${name} needs a SUBJECT: ${needs}`);
  if (!needs && request.subject) return usage(`trail ${name} takes no SUBJECT (got "${request.subject}")`);
  if (name === 'key' && request.subject && !keyIdOf(request.subject)) {
    return usage(
      `"${request.subject}" is not a key ARN or key id (aliases cannot be resolved from CloudTrail: run aws kms describe-key --key-id ${request.subject} for its key id)`,
    );
  }
  if (
    name === 'access-key' &&
    request.subject &&
    !isAccessKeyId(request.subject) &&
    !IAM_USER_NAME.test(request.subject)
  ) {
    return usage(`"${request.subject}" is neither an access key id (AKIA..., ASIA...) nor an IAM user name`);
  }
  for (const [label, value] of Object.entries(request.ransom ?? {})) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1))
      return usage(`--${label} must be a positive whole number`);
  }
  const now = deps.clock.now();
  const window = parseTimeWindow(request.since, request.until, now);
  if (!window.ok) return usage(window.reason);

  const firstDay =
    request.athena?.firstDay ??
    (window.window.since !== undefined
      ? isoSeconds(window.window.since - 86_400_000)
          .slice(0, 10)
          .replace(/-/g, '/')
      : '2020/01/01');
  const opened = await openSource(
    request.source,
    {
      engine: request.engine,
      cacheDir: request.cacheDir,
      ...(request.database ? { database: request.database } : {}),
      accounts: request.accounts ?? [],
      regions: request.regions ?? [],
      window: window.window,
      ...(request.athena ? { athena: { ...request.athena, firstDay } } : {}),
    },
    deps.clients(),
    deps.clock,
  );
  if (!opened.ok) return usage(opened.reason);
  const source = opened.source;
  try {
    return await runAndRender(name, request, window.window, source, deps);
  } catch (error) {
    // A bug or an environment failure: still a message, never a stack trace.
    return { exitCode: 2, stdout: '', stderr: `keywarden trail: ${(error as Error).message ?? String(error)}\n` };
  } finally {
    await source.close?.().catch(() => undefined);
  }
};

const runAndRender = async (
  name: InvestigationName,
  request: TrailRequest,
  timeWindow: TimeWindow,
  source: TrailSource,
  deps: TrailDeps,
): Promise<TrailOutcome> => {
  const outcome = await runInvestigation(name, (query) => source.read(query), {
    window: timeWindow,
    ...(request.subject ? { subject: request.subject } : {}),
    judgePolicy: deps.judgePolicy,
    trustedAccounts: request.trustedAccounts ?? [],
    ransom: Object.fromEntries(Object.entries(request.ransom ?? {}).filter(([, v]) => v !== undefined)),
  });
  if (!outcome.ok) return usage(outcome.reason);
  const read = source.report();
  if (unreadable(read)) {
    const why = read.problems
      .slice(0, 5)
      .map((problem) => `  ${problem.file}: ${problem.error ?? problem.reasons.map((r) => r.reason).join('; ')}`)
      .join('\n');
    return {
      exitCode: 2,
      stdout: '',
      stderr: `keywarden trail: nothing could be read from ${request.source}\n${why}\n`,
    };
  }
  const flags = outcome.value.result.flags;
  const windowText = `${timeWindow.since !== undefined ? isoSeconds(timeWindow.since) : 'start'} .. ${timeWindow.until !== undefined ? isoSeconds(timeWindow.until) : 'end'}`;
  const stdout =
    request.format === 'json'
      ? `${JSON.stringify(
          {
            format: 'keywarden.trail/v1',
            investigation: name,
            source: source.description,
            ...(request.subject ? { subject: request.subject } : {}),
            window: {
              since: timeWindow.since !== undefined ? isoSeconds(timeWindow.since) : null,
              until: timeWindow.until !== undefined ? isoSeconds(timeWindow.until) : null,
            },
            flagged: flags.length > 0,
            result: outcome.value.result,
            read,
          },
          null,
          2,
        )}\n`
      : renderInvestigation(outcome.value, { source: source.description, window: windowText, read });
  return { exitCode: flags.length > 0 ? 1 : 0, stdout, stderr: '' };
};
