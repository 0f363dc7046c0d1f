import type Database from 'better-sqlite3';
import { snapshotContentHash, toJson } from '../content';
import type { SaveOutcome, SnapshotData, SnapshotRecord } from '../store';
import { isoTime } from '../time';

interface SnapshotRow {
  key_arn: string;
  account: string;
  region: string;
  collected_at: string;
  as_of: string;
  content_hash: string;
  snapshot: string;
}

const toRecord = (row: SnapshotRow): SnapshotRecord => ({
  keyArn: row.key_arn,
  account: row.account,
  region: row.region,
  collectedAt: row.collected_at,
  asOf: row.as_of,
  contentHash: row.content_hash,
  snapshot: JSON.parse(row.snapshot),
});

const COLUMNS = 'key_arn, account, region, collected_at, as_of, content_hash, snapshot';
const VALUES = '@key_arn, @account, @region, @collected_at, @as_of, @content_hash, @snapshot';

export const snapshotQueries = (db: Database.Database) => {
  const latest = db.prepare<[string], SnapshotRow>(`SELECT ${COLUMNS} FROM snapshot_latest WHERE key_arn = ?`);
  const putLatest = db.prepare<SnapshotRow>(`INSERT OR REPLACE INTO snapshot_latest (${COLUMNS}) VALUES (${VALUES})`);
  const putVersion = db.prepare<SnapshotRow>(
    `INSERT OR REPLACE INTO snapshot_versions (${COLUMNS}) VALUES (${VALUES})`,
  );
  const page = db.prepare<[string, number], SnapshotRow>(
    `SELECT ${COLUMNS} FROM snapshot_latest WHERE key_arn > ? ORDER BY key_arn LIMIT ?`,
  );
  const versions = db.prepare<[string, number], SnapshotRow>(
    `SELECT ${COLUMNS} FROM snapshot_versions WHERE key_arn = ? ORDER BY as_of DESC LIMIT ?`,
  );

  const save = db.transaction((row: SnapshotRow): SaveOutcome => {
    const current = latest.get(row.key_arn);
    if (current && current.as_of > row.as_of) return { saved: false, reason: 'older', latestAsOf: current.as_of };
    if (!current || current.content_hash !== row.content_hash) putVersion.run(row);
    putLatest.run(row);
    return { saved: true, asOf: row.as_of };
  });

  return {
    saveIfNewer(keyArn: string, asOf: string, data: SnapshotData): SaveOutcome {
      const row: SnapshotRow = {
        key_arn: keyArn,
        account: data.account,
        region: data.region,
        collected_at: isoTime(data.collectedAt, 'collectedAt'),
        as_of: isoTime(asOf, 'eventTime'),
        content_hash: snapshotContentHash(data.snapshot),
        snapshot: toJson(data.snapshot, 'snapshot'),
      };
      return save.immediate(row);
    },
    getLatest(keyArn: string): SnapshotRecord | undefined {
      const row = latest.get(keyArn);
      return row && toRecord(row);
    },
    /** Keys after `afterKeyArn` in ARN order. */
    pageLatest(afterKeyArn: string, limit: number): SnapshotRecord[] {
      return page.all(afterKeyArn, limit).map(toRecord);
    },
    listVersions(keyArn: string, limit: number): SnapshotRecord[] {
      return versions.all(keyArn, limit).map(toRecord);
    },
  };
};
