/**
 * Runs one investigation over a stream of events. Pure: the events come from a function the caller supplies
 * (files, S3, LookupEvents, Logs Insights, DuckDB or Athena), queried with hints so a source can read less.
 */
import { type AccessKeyResult, accessKeyInvestigation, isAccessKeyId } from './access-key';
import type { CloudTrailEvent } from './event';
import { type ExposuresResult, exposuresInvestigation } from './exposures';
import { KMS_CRYPTO_OPERATIONS } from './fields';
import type { Flag, Investigation, InvestigationName } from './investigation';
import type { JudgePolicy } from './judge';
import { type OutsidersResult, outsidersInvestigation } from './outsiders';
import { type RansomOptions, type RansomResult, ransomInvestigation } from './ransom';
import type { TimeWindow } from './time';
import { type KeyTimelineResult, keyTimelineInvestigation } from './timeline';

/**
 * What an investigation needs. Filters other than the window are hints a source may use to read less (LookupEvents
 * attributes, SQL WHERE clauses); investigations filter again, so a source may return more, never less.
 */
export interface EventQuery {
  investigation: InvestigationName;
  window: TimeWindow;
  accessKeyIds?: string[];
  username?: string;
  /** A key ARN or key id. */
  key?: string;
  /** Validate every record fully, not only those the investigation may use (for checks of the input itself). */
  validateAll?: boolean;
}

export type ReadEvents = (query: EventQuery) => AsyncIterable<CloudTrailEvent[]>;

const KMS = 'kms.amazonaws.com';
const EXPOSURE_EVENTS = new Set(['PutKeyPolicy', 'CreateKey', 'CreateGrant', 'RevokeGrant', 'RetireGrant']);
const RANSOM_EVENTS = new Set(['ScheduleKeyDeletion', 'DisableKey', 'PutKeyPolicy']);

/**
 * Whether a raw record (not yet validated) can matter to a query: a cheap superset test readers apply before full
 * validation, so records no investigation uses are not validated field by field. Must never drop a record the
 * investigation would use (tested against every investigation on the synthetic trail).
 */
export const mayMatter = (query: EventQuery): ((record: Record<string, unknown>) => boolean) => {
  if (query.validateAll) return () => true;
  switch (query.investigation) {
    case 'exposures':
      return (r) => r.eventSource === KMS && EXPOSURE_EVENTS.has(r.eventName as string);
    case 'ransom':
      return (r) => r.eventSource === KMS && RANSOM_EVENTS.has(r.eventName as string);
    case 'outsiders':
      return (r) => r.eventSource === KMS && KMS_CRYPTO_OPERATIONS.has(r.eventName as string);
    case 'key':
      return (r) => r.eventSource === KMS;
    case 'access-key': {
      const ids = new Set(query.accessKeyIds ?? []);
      return (r) => {
        const identity = r.userIdentity as Record<string, unknown> | null | undefined;
        if (typeof identity !== 'object' || identity === null) return false;
        return (
          ids.has(identity.accessKeyId as string) ||
          (query.username !== undefined && identity.userName === query.username)
        );
      };
    }
  }
};

export interface InvestigationOptions {
  window: TimeWindow;
  /** The key (ARN or id) for `key`, the access key id or user name for `access-key`. */
  subject?: string;
  judgePolicy: JudgePolicy;
  trustedAccounts?: string[];
  ransom?: Partial<RansomOptions>;
}

export type InvestigationResult =
  | { investigation: 'key'; result: KeyTimelineResult }
  | { investigation: 'exposures'; result: ExposuresResult }
  | { investigation: 'outsiders'; result: OutsidersResult }
  | { investigation: 'access-key'; result: AccessKeyResult }
  | { investigation: 'ransom'; result: RansomResult };

export type RunOutcome = { ok: true; value: InvestigationResult } | { ok: false; reason: string };

/** Investigations that need a SUBJECT, and what it is. */
export const SUBJECT_OF: Partial<Record<InvestigationName, string>> = {
  key: 'a key ARN or key id',
  'access-key': 'an access key id (AKIA..., ASIA...) or an IAM user name',
};

const consume = async <R extends { flags: Flag[] }>(
  investigation: Investigation<R>,
  events: AsyncIterable<CloudTrailEvent[]>,
): Promise<void> => {
  for await (const batch of events) for (const event of batch) investigation.add(event);
};

/** The most rounds spent following credentials minted from credentials (role chaining). */
const MAX_ROUNDS = 8;

export const runInvestigation = async (
  name: InvestigationName,
  readEvents: ReadEvents,
  options: InvestigationOptions,
): Promise<RunOutcome> => {
  const { window, subject } = options;
  const needs = SUBJECT_OF[name];
  if (needs && !subject) return { ok: false, reason: `trail ${name} needs a SUBJECT: ${needs}` };
  switch (name) {
    case 'key': {
      const investigation = keyTimelineInvestigation(subject as string, options);
      await consume(investigation, readEvents({ investigation: name, window, key: subject as string }));
      return { ok: true, value: { investigation: name, result: investigation.finish() } };
    }
    case 'exposures': {
      const investigation = exposuresInvestigation(options.judgePolicy);
      await consume(investigation, readEvents({ investigation: name, window }));
      return { ok: true, value: { investigation: name, result: investigation.finish() } };
    }
    case 'outsiders': {
      const investigation = outsidersInvestigation({ trustedAccounts: options.trustedAccounts ?? [] });
      await consume(investigation, readEvents({ investigation: name, window }));
      return { ok: true, value: { investigation: name, result: investigation.finish() } };
    }
    case 'ransom': {
      const investigation = ransomInvestigation(options.ransom ?? {});
      await consume(investigation, readEvents({ investigation: name, window }));
      return { ok: true, value: { investigation: name, result: investigation.finish() } };
    }
    case 'access-key': {
      const who = subject as string;
      const investigation = accessKeyInvestigation(who);
      const queried = new Set<string>();
      let query: EventQuery = isAccessKeyId(who)
        ? { investigation: name, window, accessKeyIds: [who] }
        : { investigation: name, window, username: who };
      for (let round = 0; round < MAX_ROUNDS; round++) {
        for (const id of query.accessKeyIds ?? []) queried.add(id);
        await consume(investigation, readEvents(query));
        const fresh = investigation.trackedAccessKeyIds().filter((id) => !queried.has(id));
        if (fresh.length === 0) break;
        query = { investigation: name, window, accessKeyIds: fresh };
      }
      return { ok: true, value: { investigation: name, result: investigation.finish() } };
    }
  }
};

export const flagsOf = (outcome: InvestigationResult): Flag[] => outcome.result.flags;
