/**
 * Sources and sinks that connect a scan to the store: live snapshots are saved as they arrive, findings are
 * recorded per key (first seen, last seen, resolved), and the latest stored snapshots can be analysed offline.
 */
import type { KeyReport, RunSummary } from '../findings/report';
import type { Gap, KeySnapshot, SourceItem } from '../kms/snapshot';
import type { RawSnapshot } from '../kms/snapshot-format';
import { readSnapshotRecord } from '../kms/snapshot-read';
import type { Sink } from '../sinks/sink';
import type { Store } from '../store/store';

/** What a live collector yields: the snapshot record of a key, or a gap. */
export type CollectedItem = { raw: RawSnapshot; arn: string } | Gap;

const isGapItem = (x: CollectedItem): x is Gap => (x as Gap).gap === true;

function toSnapshot(raw: RawSnapshot, kind: KeySnapshot['origin']['kind'], arn: string): SourceItem[] {
  const { snapshot, errors } = readSnapshotRecord(raw, { kind });
  return [
    snapshot,
    ...errors.map(
      (e): Gap => ({
        gap: true,
        key: arn,
        account: raw.account,
        region: raw.region,
        reason: e.message,
        pointer: e.pointer,
      }),
    ),
  ];
}

/** Live keys, saved to the store (when given) as they arrive, then analysed like files. */
export async function* liveSource(collected: AsyncIterable<CollectedItem>, store?: Store): AsyncGenerator<SourceItem> {
  for await (const item of collected) {
    if (isGapItem(item)) {
      yield item;
      continue;
    }
    const collectedAt = item.raw.collectedAt ?? new Date(0).toISOString();
    if (store)
      await store.saveSnapshot({
        keyArn: item.arn,
        account: item.raw.account,
        region: item.raw.region,
        collectedAt,
        snapshot: item.raw,
      });
    yield* toSnapshot(item.raw, 'aws', item.arn);
  }
}

/** The latest stored snapshot of every key (`scan --from-store`). */
export async function* storeSource(store: Store): AsyncGenerator<SourceItem> {
  for await (const record of store.listLatestSnapshots()) yield* toSnapshot(record.snapshot, 'store', record.keyArn);
}

/** Records each key's findings in the store, so later runs and the live watch know what is new. */
export function findingsRecorder(store: Store): Sink {
  let keys = 0;
  return {
    async write(report: KeyReport) {
      keys++;
      await store.recordFindings(report.key.arn, report.key.collectedAt, report.findings);
    },
    async gap() {},
    async close(): Promise<RunSummary> {
      return { keys, findings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, unknown: 0, gaps: 0 };
    },
  };
}
