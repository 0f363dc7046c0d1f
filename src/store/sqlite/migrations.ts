/**
 * Numbered schema migrations. `PRAGMA user_version` holds the number of the last one applied; each runs once, in
 * its own transaction. Never edit a released migration: add the next one.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** `PRAGMA application_id` of a keywarden database: "KWDN". */
export const KEYWARDEN_APPLICATION_ID = 0x4b57444e;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'snapshots, findings history, processed events, outbox, remediation log',
    sql: `
      CREATE TABLE snapshot_latest (
        key_arn TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        collected_at TEXT NOT NULL,
        as_of TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        snapshot TEXT NOT NULL
      ) STRICT;
      CREATE TABLE snapshot_versions (
        key_arn TEXT NOT NULL,
        as_of TEXT NOT NULL,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        collected_at TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        PRIMARY KEY (key_arn, as_of)
      ) STRICT;
      CREATE TABLE findings (
        key_arn TEXT NOT NULL,
        finding_id TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        resolved_at TEXT,
        observed_at TEXT NOT NULL,
        finding TEXT NOT NULL,
        PRIMARY KEY (key_arn, finding_id)
      ) STRICT;
      CREATE INDEX findings_by_id ON findings (finding_id);
      CREATE TABLE finding_recordings (
        key_arn TEXT PRIMARY KEY,
        recorded_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE processed_events (
        event_id TEXT PRIMARY KEY,
        processed_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX processed_events_by_expiry ON processed_events (expires_at);
      CREATE TABLE outbox (
        message_id TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        payload TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'claimed', 'delivered', 'dead')),
        created_at TEXT NOT NULL,
        due_at TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        delivered_at TEXT,
        expires_at TEXT
      ) STRICT;
      CREATE INDEX outbox_due ON outbox (due_at) WHERE status IN ('pending', 'claimed');
      CREATE INDEX outbox_by_expiry ON outbox (expires_at) WHERE expires_at IS NOT NULL;
      CREATE TABLE remediation_actions (
        idempotency_key TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        finding_id TEXT,
        outcome TEXT NOT NULL,
        actor TEXT,
        detail TEXT
      ) STRICT;
      CREATE INDEX remediation_by_at ON remediation_actions (at);
      CREATE INDEX remediation_by_target ON remediation_actions (target, at);
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
