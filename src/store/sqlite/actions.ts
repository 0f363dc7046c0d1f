import type Database from 'better-sqlite3';
import { toJson } from '../content';
import type { ActionFilter, RecordActionOutcome, RemediationAction } from '../store';
import { isoTime } from '../time';

interface ActionRow {
  idempotency_key: string;
  at: string;
  action: string;
  target: string;
  finding_id: string | null;
  outcome: RemediationAction['outcome'];
  actor: string | null;
  detail: string | null;
}

const toAction = (row: ActionRow): RemediationAction => ({
  idempotencyKey: row.idempotency_key,
  at: row.at,
  action: row.action,
  target: row.target,
  ...(row.finding_id !== null ? { findingId: row.finding_id } : {}),
  outcome: row.outcome,
  ...(row.actor !== null ? { actor: row.actor } : {}),
  ...(row.detail !== null ? { detail: JSON.parse(row.detail) } : {}),
});

export const DEFAULT_ACTION_LIMIT = 100;

export const actionQueries = (db: Database.Database) => {
  const get = db.prepare<[string], ActionRow>('SELECT * FROM remediation_actions WHERE idempotency_key = ?');
  const insert = db.prepare<ActionRow>(
    `INSERT OR IGNORE INTO remediation_actions (idempotency_key, at, action, target, finding_id, outcome, actor, detail)
     VALUES (@idempotency_key, @at, @action, @target, @finding_id, @outcome, @actor, @detail)`,
  );
  const list = db.prepare<{ target: string | null; finding: string | null; limit: number }, ActionRow>(
    `SELECT * FROM remediation_actions
     WHERE (@target IS NULL OR target = @target) AND (@finding IS NULL OR finding_id = @finding)
     ORDER BY at DESC, idempotency_key DESC LIMIT @limit`,
  );

  const record = db.transaction((row: ActionRow): RecordActionOutcome => {
    if (insert.run(row).changes === 1) return { recorded: true };
    return { recorded: false, existing: toAction(get.get(row.idempotency_key)!) };
  });

  return {
    record(action: RemediationAction): RecordActionOutcome {
      return record.immediate({
        idempotency_key: action.idempotencyKey,
        at: isoTime(action.at, 'at'),
        action: action.action,
        target: action.target,
        finding_id: action.findingId ?? null,
        outcome: action.outcome,
        actor: action.actor ?? null,
        detail: action.detail === undefined ? null : toJson(action.detail, 'remediation detail'),
      });
    },
    get(key: string): RemediationAction | undefined {
      const row = get.get(key);
      return row && toAction(row);
    },
    list(filter: ActionFilter = {}): RemediationAction[] {
      return list
        .all({
          target: filter.target ?? null,
          finding: filter.findingId ?? null,
          limit: filter.limit ?? DEFAULT_ACTION_LIMIT,
        })
        .map(toAction);
    },
  };
};
