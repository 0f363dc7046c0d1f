/**
 * Reconciliation: a scheduled scan raises what the watch missed through the same diff, and never alerts twice what
 * the watch already alerted. Keys are read with the collector's per-key calls from a KMS answered in-process.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CollectedItem } from '../../src/app/live';
import { RECONCILE_NOTE, reconcile } from '../../src/app/reconcile';
import { handleWatchEvent } from '../../src/app/watch';
import { EMPTY_WATCH_CONFIG } from '../../src/app/watch-config';
import { createReconcileHandler } from '../../src/lambda/reconcile.handler';
import type { Channel } from '../../src/sinks/notify/channel';
import type { NotificationMessage } from '../../src/sinks/notify/types';
import {
  envelope,
  inProcessKms,
  KEY_ARN,
  KEY_ID,
  kmsKey,
  minute,
  PUBLIC_STATEMENT,
  policyText,
  putKeyPolicy,
  SETTINGS,
  type TempStore,
  tempStore,
} from './helpers';

let temp: TempStore;
let kms: ReturnType<typeof inProcessKms>;
const keys = new Map([[KEY_ARN, kmsKey(KEY_ID)]]);

/** What the collector yields for the keys, read at `at`. */
async function* scanAt(at: string): AsyncGenerator<CollectedItem> {
  for (const arn of keys.keys()) {
    const raw = await kms.fetchKey(arn);
    yield { raw: { ...raw, collectedAt: at }, arn };
  }
  yield { gap: true, account: '111122223333', region: 'eu-north-1', reason: 'region not enabled' };
}

beforeEach(() => {
  temp = tempStore();
  keys.set(KEY_ARN, kmsKey(KEY_ID));
  kms = inProcessKms(keys);
});
afterEach(async () => {
  kms.mock.restore();
  await temp.cleanup();
});

const deps = (now = '2024-05-01T15:00:00.000Z') => ({ store: temp.store, now: () => now });

describe('reconciliation', () => {
  it('raises an exposure the watch missed, once, saying the watch did not see it', async () => {
    keys.get(KEY_ARN)!.policy = policyText(PUBLIC_STATEMENT); // changed without an event reaching the watch
    const first = await reconcile(scanAt(minute(60)), deps(), SETTINGS);
    expect(first.keys).toBe(1);
    expect(first.gaps).toHaveLength(1);
    expect(first.new.map((n) => n.finding.rule)).toContain('public-key');
    expect(first.alerts.enqueued.length).toBeGreaterThan(0);
    const message = await temp.store.getMessage(first.alerts.enqueued[0]!);
    expect(message?.payload).toMatchObject({ kind: 'new', note: RECONCILE_NOTE });

    const second = await reconcile(scanAt(minute(120)), deps(), SETTINGS);
    expect(second.new).toEqual([]);
    expect(second.alerts.ids).toEqual([]);
  });

  it('does not alert again what the watch already alerted', async () => {
    const event = envelope(putKeyPolicy({ time: minute(1), id: 'seen', policy: policyText(PUBLIC_STATEMENT) }));
    const watched = await handleWatchEvent(event, { ...deps(), fetchKey: kms.fetchKey }, SETTINGS);
    expect(watched.status === 'analysed' && watched.alerts.enqueued.length).toBeGreaterThan(0);
    keys.get(KEY_ARN)!.policy = policyText(PUBLIC_STATEMENT);
    const report = await reconcile(scanAt(minute(60)), deps(), SETTINGS);
    expect(report.new).toEqual([]);
    expect(report.alerts.ids).toEqual([]);
  });

  it('a scan that read the key before a change the watch recorded does not undo it', async () => {
    const event = envelope(putKeyPolicy({ time: minute(30), id: 'revert', policy: policyText() }));
    await handleWatchEvent(event, { ...deps(), fetchKey: kms.fetchKey }, SETTINGS);
    keys.get(KEY_ARN)!.policy = policyText(PUBLIC_STATEMENT); // the scan's reading, older than the event
    const report = await reconcile(scanAt(minute(10)), deps(), SETTINGS);
    expect(report.olderThanStored).toBe(1);
    const latest = await temp.store.getLatestSnapshot(KEY_ARN);
    expect(latest?.asOf).toBe(new Date(minute(30)).toISOString());
    // What only the older reading shows was short-lived and missed: it is alerted, once.
    expect(report.new.map((n) => n.finding.rule)).toContain('public-key');
    const again = await reconcile(scanAt(minute(10)), deps(), SETTINGS);
    expect(again.alerts.enqueued).toEqual([]);
  });

  it('runs as the scheduled Lambda: scans, diffs, delivers', async () => {
    keys.get(KEY_ARN)!.policy = policyText(PUBLIC_STATEMENT);
    const sent: NotificationMessage[] = [];
    const memory: Channel = { name: 'memory', send: async (m) => void sent.push(m) };
    const handler = createReconcileHandler(
      { store: temp.store, channels: [memory], config: EMPTY_WATCH_CONFIG, now: () => '2024-05-01T15:00:00.000Z' },
      () => scanAt(minute(60)),
      'us-west-2',
    );
    const result = await handler({ 'detail-type': 'Scheduled Event' });
    expect(result).toMatchObject({ keys: 1, gaps: 1, delivered: result.alertsQueued, retrying: 0, dead: 0 });
    expect(result.new).toBeGreaterThan(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain('reconciliation');
    expect((await handler()).alertsQueued).toBe(0);
  });
});
