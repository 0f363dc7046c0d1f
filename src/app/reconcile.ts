/**
 * Reconciliation: CloudTrail delivers events to EventBridge on a best-effort basis, so a scheduled scan re-reads every
 * key (the collector of `scan --aws`), saves it, and records its findings through the same diff as the watch. What
 * the watch missed is new and alerted; what it already alerted is unchanged and is not alerted again (the outbox
 * ids are the same: finding id + the time the exposure opened).
 */
import type { Finding } from '../findings/types';
import type { Gap } from '../kms/snapshot';
import { keyRefOf } from '../sinks/notify/message';
import type { Store } from '../store/store';
import type { CollectedItem } from './live';
import { diffAndAlert, type WatchSettings } from './watch';
import { type Alert, enqueueAlerts } from './watch-alerts';
import { analyseRecord } from './watch-analyse';

export interface ReconcileDeps {
  store: Store;
  now: () => string;
  log?: (entry: Record<string, unknown>) => void;
}

export type ReconcileSettings = Pick<WatchSettings, 'analysis' | 'alertOn' | 'channels' | 'notifyResolved'>;

export interface ReconcileReport {
  keys: number;
  gaps: Gap[];
  /** Findings the scan saw open for the first time: what the watch missed (or what appeared without an event). */
  new: Array<{ keyArn: string; finding: Finding }>;
  resolved: Array<{ keyArn: string; finding: Finding }>;
  /** Keys whose state the watch had already recorded as newer than the scan's read. */
  olderThanStored: number;
  alerts: { ids: string[]; enqueued: string[]; known: string[] };
}

export const RECONCILE_NOTE =
  'Found by the scheduled reconciliation scan: the live watch did not see the change that caused it (CloudTrail delivers events to EventBridge on a best-effort basis), so check CloudTrail for who made it.';

export async function reconcile(
  collected: AsyncIterable<CollectedItem>,
  deps: ReconcileDeps,
  settings: ReconcileSettings,
): Promise<ReconcileReport> {
  const { store } = deps;
  const report: ReconcileReport = {
    keys: 0,
    gaps: [],
    new: [],
    resolved: [],
    olderThanStored: 0,
    alerts: { ids: [], enqueued: [], known: [] },
  };
  for await (const item of collected) {
    if ('gap' in item && item.gap === true) {
      report.gaps.push(item);
      deps.log?.({ outcome: 'gap', account: item.account, region: item.region, key: item.key, reason: item.reason });
      continue;
    }
    const { raw, arn } = item as Exclude<CollectedItem, Gap>;
    report.keys++;
    const collectedAt = raw.collectedAt ?? deps.now();
    await store.saveSnapshot({ keyArn: arn, account: raw.account, region: raw.region, collectedAt, snapshot: raw });
    const analysed = analyseRecord(raw, settings.analysis, arn);
    const alerts: Alert[] = [];
    const diff = await diffAndAlert(
      store,
      arn,
      collectedAt,
      analysed.findings,
      settings,
      alerts,
      { group: `${arn}@reconcile@${collectedAt}`, key: keyRefOf(analysed.key), change: undefined },
      RECONCILE_NOTE,
    );
    if (diff.kind === 'recorded') {
      report.new.push(...diff.new.map((finding) => ({ keyArn: arn, finding })));
      report.resolved.push(...diff.resolved.map((finding) => ({ keyArn: arn, finding })));
    } else if (diff.kind === 'late') {
      report.olderThanStored++;
      report.new.push(...diff.transient.map((finding) => ({ keyArn: arn, finding })));
    }
    const queued = await enqueueAlerts(store, alerts, settings.channels, deps.now());
    report.alerts.ids.push(...alerts.map((a) => a.id));
    report.alerts.enqueued.push(...queued.enqueued);
    report.alerts.known.push(...queued.known);
  }
  deps.log?.({
    outcome: 'reconciled',
    keys: report.keys,
    gaps: report.gaps.length,
    new: report.new.length,
    resolved: report.resolved.length,
    alerts: report.alerts.enqueued.length,
  });
  return report;
}
