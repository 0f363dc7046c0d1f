import type Database from 'better-sqlite3';
import type { Finding } from '../../findings/types';
import { toJson } from '../content';
import { addToDiff, emptyDiff, findingStep, sortDiff } from '../findings-transition';
import type { FindingRecord, FindingsDiff } from '../store';
import { isoTime } from '../time';

interface FindingRow {
  finding_id: string;
  key_arn: string;
  first_seen_at: string;
  opened_at: string;
  last_seen_at: string;
  resolved_at: string | null;
  observed_at: string;
  finding: string;
}

const toRecord = (row: FindingRow): FindingRecord => ({
  id: row.finding_id,
  keyArn: row.key_arn,
  firstSeenAt: row.first_seen_at,
  openedAt: row.opened_at,
  lastSeenAt: row.last_seen_at,
  ...(row.resolved_at !== null ? { resolvedAt: row.resolved_at } : {}),
  finding: JSON.parse(row.finding),
});

export const findingQueries = (db: Database.Database) => {
  const recordedAt = db.prepare<[string], { recorded_at: string }>(
    'SELECT recorded_at FROM finding_recordings WHERE key_arn = ?',
  );
  const setRecordedAt = db.prepare<[string, string]>(
    'INSERT OR REPLACE INTO finding_recordings (key_arn, recorded_at) VALUES (?, ?)',
  );
  const byKey = db.prepare<[string], FindingRow>('SELECT * FROM findings WHERE key_arn = ? ORDER BY finding_id');
  const byId = db.prepare<[string], FindingRow>(
    'SELECT * FROM findings WHERE finding_id = ? ORDER BY first_seen_at LIMIT 1',
  );
  const open = db.prepare<{ id: string; key: string; at: string; finding: string }>(
    `INSERT INTO findings (finding_id, key_arn, first_seen_at, opened_at, last_seen_at, resolved_at, observed_at, finding)
     VALUES (@id, @key, @at, @at, @at, NULL, @at, @finding)
     ON CONFLICT (key_arn, finding_id) DO UPDATE SET
       opened_at = @at, last_seen_at = @at, resolved_at = NULL, observed_at = @at, finding = @finding`,
  );
  const see = db.prepare<{ id: string; key: string; at: string; finding: string }>(
    'UPDATE findings SET last_seen_at = @at, observed_at = @at, finding = @finding WHERE key_arn = @key AND finding_id = @id',
  );
  const resolve = db.prepare<{ id: string; key: string; at: string }>(
    'UPDATE findings SET resolved_at = @at, observed_at = @at WHERE key_arn = @key AND finding_id = @id',
  );

  const record = db.transaction((keyArn: string, at: string, findings: Finding[]): FindingsDiff => {
    const latest = recordedAt.get(keyArn)?.recorded_at;
    if (latest !== undefined && latest > at) return { status: 'stale', at, latestAt: latest };
    setRecordedAt.run(keyArn, at);
    const current = new Map(findings.map((finding) => [finding.id, finding]));
    const existing = new Map(byKey.all(keyArn).map((row) => [row.finding_id, row]));
    const diff = emptyDiff();
    for (const id of new Set([...current.keys(), ...existing.keys()])) {
      const row = existing.get(id);
      const seen = current.get(id);
      const state = row && {
        openedAt: row.opened_at,
        observedAt: row.observed_at,
        ...(row.resolved_at !== null ? { resolvedAt: row.resolved_at } : {}),
      };
      const step = findingStep(state, seen !== undefined, at);
      if (step.write === 'open' && seen) open.run({ id, key: keyArn, at, finding: toJson(seen, 'finding') });
      if (step.write === 'see' && seen) see.run({ id, key: keyArn, at, finding: toJson(seen, 'finding') });
      if (step.write === 'resolve') resolve.run({ id, key: keyArn, at });
      addToDiff(diff, id, step.report);
    }
    return { status: 'recorded', at, ...sortDiff(diff) };
  });

  return {
    record(keyArn: string, at: string, findings: Finding[]): FindingsDiff {
      return record.immediate(keyArn, isoTime(at, 'at'), findings);
    },
    get(findingId: string): FindingRecord | undefined {
      const row = byId.get(findingId);
      return row && toRecord(row);
    },
    list(keyArn: string): FindingRecord[] {
      return byKey.all(keyArn).map(toRecord);
    },
  };
};
