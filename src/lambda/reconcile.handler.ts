/**
 * The reconciliation Lambda, run on a schedule (hourly by default, the ReconcileSchedule parameter): scans the keys
 * of this account (regions from keywarden.yaml `watch.reconcileRegions`, else the function's region) with the
 * collector of `scan --aws`, diffs them through the same store as the watch, alerts what the watch missed, and
 * delivers the outbox (so alerts whose channel was failing are retried at least this often).
 */
import { deliverOutbox } from '../app/deliver';
import type { CollectedItem } from '../app/live';
import { type ReconcileReport, reconcile } from '../app/reconcile';
import { RECONCILE_PERMISSIONS } from '../app/watch-permissions';
import { collectAws } from '../sources/aws';
import { type LambdaWiring, lambdaWiring } from './watch.handler';

/** The AWS actions this function sends (its role grants exactly these; test/deploy checks). */
export const permissions = RECONCILE_PERMISSIONS;

export interface ReconcileResult {
  keys: number;
  gaps: number;
  new: number;
  resolved: number;
  alertsQueued: number;
  delivered: number;
  retrying: number;
  dead: number;
}

export function createReconcileHandler(
  wiring: LambdaWiring,
  collect: (regions: string[]) => AsyncIterable<CollectedItem>,
  defaultRegion: string,
) {
  const now = wiring.now ?? (() => new Date().toISOString());
  return async (_event?: unknown, context?: { getRemainingTimeInMillis?: () => number }): Promise<ReconcileResult> => {
    const { config } = wiring;
    const regions = config.reconcileRegions ?? [defaultRegion];
    const report: ReconcileReport = await reconcile(
      collect(regions),
      { store: wiring.store, now, ...(wiring.log ? { log: wiring.log } : {}) },
      {
        analysis: { trusted: config.trusted, rules: config.rules },
        alertOn: config.alertOn,
        channels: wiring.channels.map((c) => c.name),
        notifyResolved: config.notifyResolved,
      },
    );
    const delivery = await deliverOutbox(wiring.store, wiring.channels, {
      now,
      keepGoing: () => (context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY) > 15_000,
    });
    return {
      keys: report.keys,
      gaps: report.gaps.length,
      new: report.new.length,
      resolved: report.resolved.length,
      alertsQueued: report.alerts.enqueued.length,
      delivered: delivery.delivered.length,
      retrying: delivery.retrying.length,
      dead: delivery.dead.length,
    };
  };
}

export const handler = async (event: unknown, context?: { getRemainingTimeInMillis?: () => number }) => {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const wiring = await lambdaWiring();
  return createReconcileHandler(wiring, (regions) => collectAws({ regions }), region)(event, context);
};
