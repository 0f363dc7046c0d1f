/**
 * Alerts through the outbox: one message per alert and channel, its id the finding id plus the time the exposure
 * opened, so the enqueue is idempotent and every new exposure is alerted exactly once per channel, however often
 * its event is delivered or replayed. Delivery (deliver.ts) claims the messages and sends them.
 */
import { type Finding, type Severity, severityRank } from '../findings/types';
import type { ChangeActor, KeyRef } from '../sinks/notify/types';
import type { Store } from '../store/store';

export interface AlertPayload {
  /** `new`: an exposure opened; `resolved`: an alerted exposure closed; `detection`: an attack signal in an event. */
  kind: 'new' | 'resolved' | 'detection';
  /** Messages of one group and channel go out as one notification (one change of one key). */
  group: string;
  key: KeyRef;
  change?: ChangeActor;
  finding: Finding;
  /** When the exposure opened (new) or closed (resolved). */
  at: string;
  /** Said in the notification next to the finding (found late, found by reconciliation). */
  note?: string;
}

export interface Alert {
  /** `<finding id>@<time it opened>`; the channel is appended per message. */
  id: string;
  payload: AlertPayload;
}

/** The outbox message id of an alert on a channel. */
export const messageIdOf = (alertId: string, channel: string): string => `${alertId}|${channel}`;

export const alertIdOf = (findingId: string, openedAt: string): string => `${findingId}@${openedAt}`;

/** Findings worth waking someone for: failed (not unknown), not suppressed, at or above the threshold. */
export const isAlertable = (finding: Finding, alertOn: Severity): boolean =>
  finding.status === 'fail' && !finding.suppressed && severityRank(finding.severity) >= severityRank(alertOn);

/** Enqueues every alert on every channel; returns the message ids that were new (the others were known). */
export async function enqueueAlerts(
  store: Store,
  alerts: readonly Alert[],
  channels: readonly string[],
  now: string,
): Promise<{ enqueued: string[]; known: string[] }> {
  const enqueued: string[] = [];
  const known: string[] = [];
  for (const alert of alerts) {
    for (const channel of channels) {
      const id = messageIdOf(alert.id, channel);
      const added = await store.enqueue({ id, channel, payload: alert.payload }, now);
      (added ? enqueued : known).push(id);
    }
  }
  return { enqueued, known };
}

/**
 * The alerts of an event that arrived after a newer state of its key was recorded (the store refused it as stale).
 * A finding it shows is alerted only when it is no part of an exposure already known:
 * - open at the event's time, or first seen later (the same exposure began earlier than we knew): nothing new;
 * - never seen, or resolved before the event's time: a short-lived exposure that was already reverted. Its id is
 *   the finding plus the first stored state after the event, so every late event of that short period gives the
 *   same alert id and it goes out once.
 * Known limit: an exposure opened, closed and reopened whose events all arrive out of order may be merged into one.
 */
export async function lateAlerts(
  store: Store,
  keyArn: string,
  eventTime: string,
  latestAt: string,
  findings: readonly Finding[],
  alertOn: Severity,
): Promise<Array<{ finding: Finding; id: string; note: string }>> {
  const at = new Date(eventTime).toISOString();
  const candidates = findings.filter((f) => isAlertable(f, alertOn));
  if (candidates.length === 0) return [];
  let boundary: string | undefined;
  const boundaryAfter = async (): Promise<string> => {
    if (boundary) return boundary;
    const versions = await store.listSnapshotVersions(keyArn, 1000);
    const later = versions
      .filter((v) => v.asOf > at)
      .map((v) => v.asOf)
      .sort();
    boundary = later[0] ?? latestAt;
    return boundary;
  };
  const out: Array<{ finding: Finding; id: string; note: string }> = [];
  for (const finding of candidates) {
    const record = await store.getFinding(finding.id);
    if (record) {
      const openAtEvent = at >= record.openedAt && (record.resolvedAt === undefined || at < record.resolvedAt);
      if (openAtEvent || at < record.openedAt) continue;
    }
    const until = await boundaryAfter();
    out.push({
      finding,
      id: `${finding.id}@before:${until}`,
      note: `This change was made at ${at} and keywarden learned of it late: the key had already changed again by ${until}, so the exposure may have been short-lived. Check who could use the key in between.`,
    });
  }
  return out;
}
