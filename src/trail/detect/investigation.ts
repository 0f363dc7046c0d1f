/**
 * What every investigation shares: it consumes events one at a time (so a trail of millions streams through
 * without being held in memory), returns plain data, and lists what it flags. A run exits 1 when anything is flagged.
 */
import type { CloudTrailEvent } from './event';
import { actingPrincipal, callerAccount, callerArn } from './fields';

export type InvestigationName = 'key' | 'exposures' | 'outsiders' | 'access-key' | 'ransom';
export const INVESTIGATIONS: readonly InvestigationName[] = ['key', 'exposures', 'outsiders', 'access-key', 'ransom'];

export type FlagSeverity = 'critical' | 'high' | 'medium' | 'low';

/** One thing an investigation wants a human to look at. */
export interface Flag {
  severity: FlagSeverity;
  title: string;
  time?: string;
  key?: string;
  principal?: string;
  eventID?: string;
}

export interface Investigation<R extends { flags: Flag[] }> {
  add(event: CloudTrailEvent): void;
  finish(): R;
}

/** An event as reports show it: who, what, when, from where. Never carries request secrets. */
export interface EventRef {
  time: string;
  eventName: string;
  eventSource: string;
  region?: string;
  /** The role behind a session, else the caller (see actingPrincipal). */
  principal: string;
  /** The exact caller (session ARN for a role session). */
  caller: string;
  account?: string;
  accessKeyId?: string;
  sourceIP?: string;
  userAgent?: string;
  errorCode?: string;
  eventID?: string;
}

const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;

export const eventRef = (event: CloudTrailEvent): EventRef =>
  defined({
    time: event.eventTime,
    eventName: event.eventName,
    eventSource: event.eventSource,
    region: event.awsRegion ?? undefined,
    principal: actingPrincipal(event),
    caller: callerArn(event),
    account: callerAccount(event),
    accessKeyId: event.userIdentity?.accessKeyId ?? undefined,
    sourceIP: event.sourceIPAddress ?? undefined,
    userAgent: event.userAgent ?? undefined,
    errorCode: event.errorCode ?? undefined,
    eventID: event.eventID ?? undefined,
  });

/** Orders by event time, then event id, so results are deterministic whatever order the files were read in. */
export const byTime = (a: { time: string; eventID?: string }, b: { time: string; eventID?: string }): number =>
  a.time < b.time ? -1 : a.time > b.time ? 1 : (a.eventID ?? '') < (b.eventID ?? '') ? -1 : 1;

/** A count per distinct value, largest first (ties by value). */
export interface Count {
  value: string;
  count: number;
}

export class Counter {
  private readonly counts = new Map<string, number>();
  add(value: string | null | undefined, by = 1): void {
    if (value === undefined || value === null || value === '') return;
    this.counts.set(value, (this.counts.get(value) ?? 0) + by);
  }
  top(limit = Number.POSITIVE_INFINITY): Count[] {
    return [...this.counts.entries()]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
      .slice(0, limit);
  }
  get size(): number {
    return this.counts.size;
  }
}
