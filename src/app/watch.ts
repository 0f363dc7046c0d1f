/**
 * The live watch use case: one EventBridge "AWS API Call via CloudTrail" event from KMS in, the changed key analysed
 * (the policy from the event itself when it carries one, the rest read from AWS or taken from the store), the key's
 * findings diffed against memory (new / unchanged / resolved), attack signals checked, and alerts put in the outbox.
 * The Lambda handler and `keywarden watch --event` both call `handleWatchEvent`; they differ only in the store,
 * the fetcher and the channels they pass in.
 */
import type { KeyReport } from '../findings/report';
import type { Finding, Severity } from '../findings/types';
import type { AnalysisOptions } from '../rules/engine';
import { changeFromCloudTrail } from '../sinks/notify/change';
import { keyRefOf } from '../sinks/notify/message';
import type { KeyRef } from '../sinks/notify/types';
import type { SaveOutcome, Store } from '../store/store';
import { parseCloudTrailEvent } from '../trail/detect/event';
import { isFailed } from '../trail/detect/fields';
import { type EventRef, eventRef } from '../trail/detect/investigation';
import { locksOutOwnAccount } from '../trail/detect/key-policy-signals';
import type { RansomOptions } from '../trail/detect/ransom';
import { type Alert, alertIdOf, enqueueAlerts, isAlertable, lateAlerts } from './watch-alerts';
import { analyseRecord, attemptedFindings } from './watch-analyse';
import { eventDetections } from './watch-detections';
import { effectOf, isWatchedEvent, standInKeyArn, whereIs } from './watch-events';
import type { KeyFetcher } from './watch-fetch';
import { keepUnhandled } from './watch-kept';
import { ransomCheck } from './watch-ransom';
import { buildSnapshot, type FailedCall, type FieldBasis, type SnapshotCall } from './watch-snapshot';

export interface WatchDeps {
  store: Store;
  /** Reads a key from AWS; absent = offline (the event and the store are all there is). */
  fetchKey?: KeyFetcher;
  now: () => string;
  /** One structured line per event handled (the Lambda logs it as JSON). */
  log?: (entry: Record<string, unknown>) => void;
}

export interface WatchSettings {
  analysis: AnalysisOptions;
  /** Lowest severity alerted (default high). */
  alertOn: Severity;
  /** Channel names alerts are enqueued for; none = report only. */
  channels: readonly string[];
  ransom?: Partial<RansomOptions>;
  /** Also tell the channels when an alerted exposure is resolved (default true). */
  notifyResolved?: boolean;
  /** Replay (CLI): analyse and report an event even if it was processed before; alerts stay idempotent. */
  replay?: boolean;
}

export type WatchDiff =
  | { kind: 'recorded'; at: string; new: Finding[]; unchanged: Finding[]; resolved: Finding[] }
  /** A newer state of the key was already recorded: nothing changed; `transient` are exposures only this event shows. */
  | { kind: 'late'; at: string; latestAt: string; transient: Finding[]; known: Finding[] }
  | { kind: 'not recorded'; reason: string };

export interface AnalysedEvent {
  status: 'analysed';
  event: EventRef;
  keyArn?: string;
  /** True when the call failed: the key did not change. */
  failed: boolean;
  /** The key as of the event (absent for a failed call or an event that names no key). */
  report?: KeyReport;
  diff: WatchDiff;
  /** Attack signals: refused attempt, bypassed lockout check, attack tool, ransom pattern. */
  detections: Finding[];
  alerts: { ids: string[]; enqueued: string[]; known: string[] };
  failedCalls: FailedCall[];
  awsUnreachable: boolean;
  basis?: Record<SnapshotCall, FieldBasis>;
  saved?: SaveOutcome;
  /** The event was processed before (replay). */
  duplicate: boolean;
  notes: string[];
}

export type WatchOutcome =
  | AnalysedEvent
  | { status: 'duplicate'; eventId: string; event: EventRef }
  | { status: 'kept'; reason: string; messageId: string };

export const DEFAULT_ALERT_ON: Severity = 'high';

export async function handleWatchEvent(
  input: unknown,
  deps: WatchDeps,
  settings: WatchSettings,
): Promise<WatchOutcome> {
  const { store } = deps;
  const now = deps.now();
  const parsed = parseCloudTrailEvent(input);
  if (!parsed.ok) return keepUnhandled(store, input, parsed.reason, now, deps.log);
  const event = parsed.event;
  if (!isWatchedEvent(event)) {
    const reason = `not an event the watch follows: ${event.eventSource} ${event.eventName}`;
    return keepUnhandled(store, input, reason, now, deps.log);
  }
  const ref = eventRef(event);
  const eventId = event.eventID ?? `${event.eventTime}/${event.eventName}/${event.requestID ?? ''}`;
  const first = await store.markEventProcessed(eventId, now);
  if (!first && !settings.replay) {
    deps.log?.({ outcome: 'duplicate', eventID: eventId, eventName: event.eventName });
    return { status: 'duplicate', eventId, event: ref };
  }

  const effect = effectOf(event);
  const keyArn = effect.keyArn;
  const group = `${keyArn ?? 'unknown key'}@${eventId}`;
  // CloudTrail writes null where the notifier's reader expects absence; it reads both (`??`, `?.`).
  const change = changeFromCloudTrail(event as Parameters<typeof changeFromCloudTrail>[0]);
  const stored = keyArn ? await store.getLatestSnapshot(keyArn) : undefined;
  const outcome: AnalysedEvent = {
    status: 'analysed',
    event: ref,
    ...(keyArn ? { keyArn } : {}),
    failed: isFailed(event),
    diff: { kind: 'not recorded', reason: '' },
    detections: [],
    alerts: { ids: [], enqueued: [], known: [] },
    failedCalls: [],
    awsUnreachable: false,
    duplicate: !first,
    notes: [...effect.notes],
  };
  const alerts: Alert[] = [];
  let key: KeyRef = { arn: keyArn ?? 'unknown key', ...(keyArn ? { account: whereIs(keyArn).account } : {}) };

  if (outcome.failed) {
    outcome.diff = { kind: 'not recorded', reason: `the call failed (${event.errorCode}): the key did not change` };
    const attempted = keyArn ? attemptedFindings(event, keyArn, stored?.snapshot, settings.analysis, now) : [];
    outcome.detections = eventDetections({ event, keyArn, attemptedFindings: attempted.map((f) => f.title) });
  } else if (!keyArn) {
    outcome.diff = { kind: 'not recorded', reason: 'the event names no key ARN: analysed, not recorded' };
    outcome.detections = eventDetections({ event });
    if (effect.policy) {
      const standIn = standInKeyArn(event, effect.policy.text);
      const built = buildSnapshot({ keyArn: standIn, notFetched: 'the event names no key' }, effect, now);
      outcome.report = analyseRecord(built.raw, settings.analysis, standIn);
      outcome.notes.push(`the policy was analysed on a stand-in key (${standIn}); findings are not recorded`);
      for (const finding of outcome.report.findings.filter((f) => isAlertable(f, settings.alertOn))) {
        alerts.push({
          id: alertIdOf(finding.id, eventId),
          payload: { kind: 'new', group, key, change, finding, at: event.eventTime },
        });
      }
    }
  } else {
    let fetched: Awaited<ReturnType<KeyFetcher>> | undefined;
    let notFetched: string | undefined;
    if (!deps.fetchKey) notFetched = 'offline: AWS was not asked';
    else {
      try {
        fetched = await deps.fetchKey(keyArn);
      } catch (error) {
        notFetched = `reading the key failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    const sources = {
      keyArn,
      ...(fetched ? { fetched } : {}),
      ...(notFetched ? { notFetched } : {}),
      ...(stored ? { stored: { snapshot: stored.snapshot, asOf: stored.asOf } } : {}),
    };
    const built = buildSnapshot(sources, effect, now);
    const report = analyseRecord(built.raw, settings.analysis, keyArn, built.unlistedGrant);
    key = keyRefOf(report.key);
    Object.assign(outcome, {
      report,
      basis: built.basis,
      failedCalls: built.failedCalls,
      awsUnreachable: built.awsUnreachable,
      notes: built.notes,
    });
    const lockout =
      report.findings.some((f) => f.rule === 'lockout-risk' && f.status === 'fail') || locksOutOwnAccount(event);
    outcome.detections = eventDetections({ event, keyArn });
    const ransom = await ransomCheck(store, event, keyArn, lockout, settings.ransom);
    if (ransom) {
      outcome.detections.push(ransom.finding);
      if (isAlertable(ransom.finding, settings.alertOn)) {
        alerts.push({
          id: ransom.id,
          payload: { kind: 'detection', group, key, change, finding: ransom.finding, at: event.eventTime },
        });
      }
    }
    const { account, region } = whereIs(keyArn);
    outcome.saved = await store.saveIfNewer(keyArn, event.eventTime, {
      account,
      region,
      collectedAt: now,
      snapshot: built.raw,
    });
    outcome.diff = await diffAndAlert(store, keyArn, event.eventTime, report.findings, settings, alerts, {
      group,
      key,
      change,
    });
  }

  for (const finding of outcome.detections) {
    if (finding.rule === 'ransom-pattern' || !isAlertable(finding, settings.alertOn)) continue;
    alerts.push({
      id: alertIdOf(finding.id, eventId),
      payload: { kind: 'detection', group, key, change, finding, at: event.eventTime },
    });
  }
  const queued = await enqueueAlerts(store, alerts, settings.channels, now);
  outcome.alerts = { ids: alerts.map((a) => a.id), ...queued };
  deps.log?.({
    outcome: outcome.diff.kind,
    eventID: eventId,
    eventName: event.eventName,
    key: keyArn,
    new: outcome.diff.kind === 'recorded' ? outcome.diff.new.map((f) => f.id) : [],
    detections: outcome.detections.map((f) => f.rule),
    alerts: outcome.alerts.enqueued.length,
    failedCalls: outcome.failedCalls.map((c) => `${c.call}: ${c.code}`),
  });
  return outcome;
}

interface AlertContext {
  group: string;
  key: KeyRef;
  change: ReturnType<typeof changeFromCloudTrail> | undefined;
}

/** Records the key's findings as of `at`, turns the diff into alerts, and handles a late event. */
export async function diffAndAlert(
  store: Store,
  keyArn: string,
  at: string,
  findings: Finding[],
  settings: Pick<WatchSettings, 'alertOn' | 'notifyResolved'>,
  alerts: Alert[],
  context: AlertContext,
  note?: string,
): Promise<WatchDiff> {
  const recorded = await store.recordFindings(keyArn, at, findings);
  const { group, key, change } = context;
  const base = { group, key, ...(change ? { change } : {}), ...(note ? { note } : {}) };
  if (recorded.status === 'stale') {
    const late = await lateAlerts(store, keyArn, at, recorded.latestAt, findings, settings.alertOn);
    for (const { finding, id, note: lateNote } of late) {
      alerts.push({ id, payload: { kind: 'new', ...base, finding, at: recorded.at, note: lateNote } });
    }
    const transient = new Set(late.map((l) => l.finding.id));
    return {
      kind: 'late',
      at: recorded.at,
      latestAt: recorded.latestAt,
      transient: findings.filter((f) => transient.has(f.id)),
      known: findings.filter((f) => !transient.has(f.id)),
    };
  }
  const byId = new Map(findings.map((f) => [f.id, f]));
  const fresh = recorded.new.map((id) => byId.get(id)).filter((f): f is Finding => f !== undefined);
  for (const finding of fresh) {
    if (!isAlertable(finding, settings.alertOn)) continue;
    alerts.push({
      id: alertIdOf(finding.id, recorded.at),
      payload: { kind: 'new', ...base, finding, at: recorded.at },
    });
  }
  const resolved: Finding[] = [];
  if (recorded.resolved.length > 0) {
    const history = new Map((await store.listFindings(keyArn)).map((r) => [r.id, r.finding]));
    for (const id of recorded.resolved) {
      const finding = history.get(id);
      if (!finding) continue;
      resolved.push(finding);
      if (settings.notifyResolved !== false && isAlertable(finding, settings.alertOn)) {
        alerts.push({
          id: `${alertIdOf(finding.id, recorded.at)}:resolved`,
          payload: { kind: 'resolved', ...base, finding, at: recorded.at },
        });
      }
    }
  }
  return {
    kind: 'recorded',
    at: recorded.at,
    new: fresh,
    unchanged: recorded.unchanged.map((id) => byId.get(id)).filter((f): f is Finding => f !== undefined),
    resolved,
  };
}
