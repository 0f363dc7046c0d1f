/**
 * The `Store`: what keywarden remembers between runs. The CLI keeps it in SQLite (src/store/sqlite), the Lambda
 * deployment in DynamoDB (src/store/dynamodb); one contract test suite (test/store/contract.ts) holds both to the
 * same behaviour. See docs/store.md.
 *
 * Rules every implementation keeps:
 * - The store never reads the clock: every time is an ISO 8601 string passed in by the caller (`now`, `at`,
 *   `eventTime`). Times are normalised to `toISOString()` form (UTC, milliseconds) before they are stored.
 * - Writes that must not go backwards in time are conditional on what is stored, one item (row) at a time, so they
 *   stay correct with several writers and without transactions (DynamoDB, dynalite).
 * - Methods reject with a `StoreError` (src/store/errors.ts) whose message says what failed, where, and how to fix it.
 */
import type { Finding } from '../findings/types';
import type { RawSnapshot } from '../kms/snapshot-format';

// ---------------------------------------------------------------------------------------------------------------
// Snapshots

/** What the caller knows about a key's snapshot besides the snapshot itself. */
export interface SnapshotData {
  account: string;
  region: string;
  /** ISO time the snapshot was read. */
  collectedAt: string;
  /** The keywarden.snapshot/v1 document, stored exactly as given. */
  snapshot: RawSnapshot;
}

export interface SnapshotInput extends SnapshotData {
  keyArn: string;
}

export interface SnapshotRecord extends SnapshotInput {
  /** The time the snapshot describes the key at: the CloudTrail eventTime for the watch, collectedAt for a scan. */
  asOf: string;
  /** sha256 of the snapshot's canonical JSON without `collectedAt`: equal hashes mean the key did not change. */
  contentHash: string;
}

/** `saved: false` only when a newer state of the key is already stored (a late event never overwrites it). */
export type SaveOutcome = { saved: true; asOf: string } | { saved: false; reason: 'older'; latestAsOf: string };

// ---------------------------------------------------------------------------------------------------------------
// Findings history

export interface FindingRecord {
  id: string;
  keyArn: string;
  /** The first time this finding was ever seen. */
  firstSeenAt: string;
  /** Start of the current (or last) open period: differs from firstSeenAt when the finding came back. */
  openedAt: string;
  lastSeenAt: string;
  /** Set while the finding is resolved; cleared when it reappears. */
  resolvedAt?: string;
  /** The finding as last seen. */
  finding: Finding;
}

/**
 * The diff of one recording against memory. A finding is `new` when it opened at this recording's time (first seen,
 * or seen again after it was resolved); `resolved` when it closed at this time. Recording the same time again
 * (a replayed event) reports the same new / resolved ids, so a caller that crashed before alerting can alert on the
 * replay; derive outbox message ids from `findingId + openedAt` so that alert is still sent only once.
 */
export type FindingsDiff =
  | { status: 'recorded'; at: string; new: string[]; unchanged: string[]; resolved: string[] }
  /** A newer recording for this key exists: nothing was changed. */
  | { status: 'stale'; at: string; latestAt: string };

// ---------------------------------------------------------------------------------------------------------------
// Outbox

export interface OutboxMessageInput {
  /** Idempotency key: enqueueing an id the store already holds does nothing. */
  id: string;
  /** Where it goes, in the notifier's words: 'sns', 'smtp', 'webhook:slack', 'eventbridge'... */
  channel: string;
  /** Any JSON-serialisable value; stored as JSON. Never put secrets here. */
  payload: unknown;
}

export type OutboxStatus = 'pending' | 'claimed' | 'delivered' | 'dead';

export interface OutboxMessage extends OutboxMessageInput {
  status: OutboxStatus;
  createdAt: string;
  /** When the message may next be claimed (pending), or when its lease ends (claimed). */
  dueAt?: string;
  /** Failed deliveries recorded with `fail`. */
  attempts: number;
  lastError?: string;
  deliveredAt?: string;
}

export interface ClaimedMessage extends OutboxMessage {
  status: 'claimed';
  /** The claim is the caller's until then; after it another worker may claim the message again. */
  leaseUntil: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Remediation log

export interface RemediationAction {
  /** The same action attempted twice carries the same key (e.g. `fix:<findingId>:<policy hash>`). */
  idempotencyKey: string;
  at: string;
  /** The AWS call or step in the user's words: 'PutKeyPolicy', 'RevokeGrant', 'UpdateAccessKey'... */
  action: string;
  /** Key ARN, grant id or access key id the action is about. */
  target: string;
  findingId?: string;
  outcome: 'applied' | 'failed' | 'skipped' | 'dry-run';
  /** Who ran it (CLI user ARN, Lambda role). */
  actor?: string;
  /** JSON-serialisable details: the request, the previous state. Never secrets. */
  detail?: unknown;
}

export type RecordActionOutcome = { recorded: true } | { recorded: false; existing: RemediationAction };

export interface ActionFilter {
  target?: string;
  findingId?: string;
  /** Newest first; default 100. */
  limit?: number;
}

// ---------------------------------------------------------------------------------------------------------------

export interface Store {
  /** Save a scan's snapshot; ordered by `collectedAt` exactly as `saveIfNewer` orders by event time. */
  saveSnapshot(record: SnapshotInput): Promise<SaveOutcome>;
  /**
   * Save the key's state as of `eventTime` unless a newer one is stored. Same time again is accepted (idempotent
   * replay). A changed state also becomes a new entry of the key's version history.
   */
  saveIfNewer(keyArn: string, eventTime: string, snapshot: SnapshotData): Promise<SaveOutcome>;
  getLatestSnapshot(keyArn: string): Promise<SnapshotRecord | undefined>;
  /** The latest snapshot of every key, in no particular order, read page by page. */
  listLatestSnapshots(): AsyncIterable<SnapshotRecord>;
  /** Distinct states of a key, newest first (a state is recorded when its content hash changes). */
  listSnapshotVersions(keyArn: string, limit?: number): Promise<SnapshotRecord[]>;

  /** Record the complete set of findings of key `keyArn` as seen at `at`, and diff it against memory. */
  recordFindings(keyArn: string, at: string, findings: Finding[]): Promise<FindingsDiff>;
  getFinding(findingId: string): Promise<FindingRecord | undefined>;
  /** Every finding ever recorded for the key, open and resolved. */
  listFindings(keyArn: string): Promise<FindingRecord[]>;

  /** true the first time an event id is marked, false when it was already processed (within the retention). */
  markEventProcessed(eventId: string, now: string): Promise<boolean>;

  /** true when enqueued; false when a message with this id is already known (pending, delivered or dead). */
  enqueue(message: OutboxMessageInput, now: string): Promise<boolean>;
  /** Take up to `limit` due messages for `leaseMs`; two workers never hold the same message at the same time. */
  claim(now: string, leaseMs: number, limit: number): Promise<ClaimedMessage[]>;
  /** Mark delivered: never claimed again. Idempotent. */
  acknowledge(messageId: string, now: string): Promise<void>;
  /** Record a failed delivery: retried from `retryAt`, or never again (`dead`) when retryAt is null. */
  fail(messageId: string, error: string, retryAt: string | null): Promise<{ attempts: number }>;
  getMessage(messageId: string): Promise<OutboxMessage | undefined>;

  /** Append to the remediation log unless the idempotency key is already there (then returns what is). */
  recordAction(action: RemediationAction): Promise<RecordActionOutcome>;
  getAction(idempotencyKey: string): Promise<RemediationAction | undefined>;
  listActions(filter?: ActionFilter): Promise<RemediationAction[]>;

  close(): Promise<void>;
}

/** How long the store remembers what only serves deduplication. */
export interface RetentionOptions {
  /** Processed CloudTrail event ids. Default 30 days. */
  processedEventDays?: number;
  /** Delivered and dead outbox messages (their ids keep enqueue idempotent). Default 30 days. */
  outboxDays?: number;
}
