import type { RawSnapshot } from '../../kms/snapshot-format';
import { snapshotContentHash } from '../content';
import type { SaveOutcome, SnapshotData, SnapshotRecord } from '../store';
import { isoTime } from '../time';
import { type Item, S, str } from './attributes';
import { readBody, writeBody } from './body';
import { keys, latestShards } from './keys';
import type { TableClient } from './table-client';

const toRecord = async (table: TableClient, item: Item): Promise<SnapshotRecord> => ({
  keyArn: str(item, 'keyArn'),
  account: str(item, 'account'),
  region: str(item, 'region'),
  collectedAt: str(item, 'collectedAt'),
  asOf: str(item, 'asOf'),
  contentHash: str(item, 'contentHash'),
  snapshot: (await readBody(table, item)) as RawSnapshot,
});

export const snapshotOperations = (table: TableClient) => ({
  /**
   * Read the latest, write a version item when the content changed, then put the latest on the condition that the
   * stored one is not newer: a single-item conditional write decides, whatever raced in between.
   */
  async saveIfNewer(keyArn: string, eventTime: string, data: SnapshotData): Promise<SaveOutcome> {
    const asOf = isoTime(eventTime, 'eventTime');
    const collectedAt = isoTime(data.collectedAt, 'collectedAt');
    const latestKey = keys.latestSnapshot(keyArn);
    const current = await table.get(latestKey);
    const currentAsOf = current && str(current, 'asOf');
    if (currentAsOf !== undefined && currentAsOf > asOf)
      return { saved: false, reason: 'older', latestAsOf: currentAsOf };
    const contentHash = snapshotContentHash(data.snapshot);
    const attributes: Item = {
      keyArn: S(keyArn),
      account: S(data.account),
      region: S(data.region),
      collectedAt: S(collectedAt),
      asOf: S(asOf),
      contentHash: S(contentHash),
      ...(await writeBody(table, data.snapshot, 'snapshot')),
    };
    if (!current || str(current, 'contentHash') !== contentHash) {
      const versionKey = keys.snapshotVersion(keyArn, asOf);
      await table.put({ pk: S(versionKey.pk), sk: S(versionKey.sk), ...attributes });
    }
    const saved = await table.put(
      { pk: S(latestKey.pk), sk: S(latestKey.sk), ...attributes },
      { condition: 'attribute_not_exists(pk) OR #asOf <= :asOf', values: { ':asOf': S(asOf) } },
    );
    if (saved) return { saved: true, asOf };
    const newer = await table.get(latestKey);
    return { saved: false, reason: 'older', latestAsOf: newer ? str(newer, 'asOf') : asOf };
  },

  async getLatest(keyArn: string): Promise<SnapshotRecord | undefined> {
    const item = await table.get(keys.latestSnapshot(keyArn));
    return item && toRecord(table, item);
  },

  async *listLatest(): AsyncGenerator<SnapshotRecord> {
    for (const shard of latestShards()) {
      for await (const item of table.query({ keyCondition: 'pk = :pk', values: { ':pk': S(shard) } })) {
        yield await toRecord(table, item);
      }
    }
  },

  async listVersions(keyArn: string, limit: number): Promise<SnapshotRecord[]> {
    const versions: SnapshotRecord[] = [];
    if (limit <= 0) return versions;
    for await (const item of table.query({
      keyCondition: 'pk = :pk AND begins_with(sk, :version)',
      values: { ':pk': S(keys.keyPartition(keyArn)), ':version': S('VERSION#') },
      newestFirst: true,
    })) {
      versions.push(await toRecord(table, item));
      if (versions.length >= limit) break;
    }
    return versions;
  },
});
