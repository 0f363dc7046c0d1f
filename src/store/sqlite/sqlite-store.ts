import type Database from 'better-sqlite3';
import type { Finding } from '../../findings/types';
import { describeError, StoreError } from '../errors';
import { retentionOf } from '../retention';
import type {
  ActionFilter,
  ClaimedMessage,
  FindingRecord,
  FindingsDiff,
  OutboxMessage,
  OutboxMessageInput,
  RecordActionOutcome,
  RemediationAction,
  RetentionOptions,
  SaveOutcome,
  SnapshotData,
  SnapshotInput,
  SnapshotRecord,
  Store,
} from '../store';
import { actionQueries } from './actions';
import { findingQueries } from './findings';
import { outboxQueries, processedEventQueries } from './outbox';
import { snapshotQueries } from './snapshots';

const PAGE_SIZE = 500;

/** The Store on one SQLite file (open it with `openSqliteStore`). */
export class SqliteStore implements Store {
  private readonly snapshots;
  private readonly findings;
  private readonly events;
  private readonly outbox;
  private readonly actions;

  constructor(
    private readonly db: Database.Database,
    readonly path: string,
    retentionOptions?: RetentionOptions,
  ) {
    const retention = retentionOf(retentionOptions);
    this.snapshots = snapshotQueries(db);
    this.findings = findingQueries(db);
    this.events = processedEventQueries(db, retention);
    this.outbox = outboxQueries(db, retention);
    this.actions = actionQueries(db);
  }

  /** Runs one operation, turning SQLite's errors into a StoreError that names the file. */
  private run<T>(what: string, operation: () => T): Promise<T> {
    try {
      return Promise.resolve(operation());
    } catch (error) {
      if (error instanceof StoreError) return Promise.reject(error);
      const hint = /SQLITE_BUSY|locked/i.test(String(error))
        ? 'another keywarden process holds the database; retry when it finishes'
        : /SQLITE_READONLY|SQLITE_CANTOPEN|SQLITE_FULL|SQLITE_IOERR/i.test(String(error))
          ? 'check the file permissions and free disk space, or choose another file with --db'
          : 'if the file is damaged, move it away and rescan (it holds only what keywarden can collect again)';
      return Promise.reject(
        new StoreError(`${what} failed on ${this.path}: ${describeError(error)}; ${hint}`, this.path, { cause: error }),
      );
    }
  }

  saveSnapshot(record: SnapshotInput): Promise<SaveOutcome> {
    return this.run('saving a snapshot', () => this.snapshots.saveIfNewer(record.keyArn, record.collectedAt, record));
  }

  saveIfNewer(keyArn: string, eventTime: string, snapshot: SnapshotData): Promise<SaveOutcome> {
    return this.run('saving a snapshot', () => this.snapshots.saveIfNewer(keyArn, eventTime, snapshot));
  }

  getLatestSnapshot(keyArn: string): Promise<SnapshotRecord | undefined> {
    return this.run('reading a snapshot', () => this.snapshots.getLatest(keyArn));
  }

  async *listLatestSnapshots(): AsyncIterable<SnapshotRecord> {
    let after = '';
    for (;;) {
      const page = await this.run('listing snapshots', () => this.snapshots.pageLatest(after, PAGE_SIZE));
      yield* page;
      if (page.length < PAGE_SIZE) return;
      after = page[page.length - 1]!.keyArn;
    }
  }

  listSnapshotVersions(keyArn: string, limit = 100): Promise<SnapshotRecord[]> {
    return this.run('listing snapshot versions', () => this.snapshots.listVersions(keyArn, limit));
  }

  recordFindings(keyArn: string, at: string, findings: Finding[]): Promise<FindingsDiff> {
    return this.run('recording findings', () => this.findings.record(keyArn, at, findings));
  }

  getFinding(findingId: string): Promise<FindingRecord | undefined> {
    return this.run('reading a finding', () => this.findings.get(findingId));
  }

  listFindings(keyArn: string): Promise<FindingRecord[]> {
    return this.run('listing findings', () => this.findings.list(keyArn));
  }

  markEventProcessed(eventId: string, now: string): Promise<boolean> {
    return this.run('marking an event processed', () => this.events.mark(eventId, now));
  }

  enqueue(message: OutboxMessageInput, now: string): Promise<boolean> {
    return this.run('enqueueing a notification', () => this.outbox.enqueue(message, now));
  }

  claim(now: string, leaseMs: number, limit: number): Promise<ClaimedMessage[]> {
    return this.run('claiming notifications', () => this.outbox.claim(now, leaseMs, limit));
  }

  acknowledge(messageId: string, now: string): Promise<void> {
    return this.run('acknowledging a notification', () => this.outbox.acknowledge(messageId, now));
  }

  fail(messageId: string, error: string, retryAt: string | null): Promise<{ attempts: number }> {
    return this.run('recording a failed notification', () => this.outbox.fail(messageId, error, retryAt));
  }

  getMessage(messageId: string): Promise<OutboxMessage | undefined> {
    return this.run('reading a notification', () => this.outbox.get(messageId));
  }

  recordAction(action: RemediationAction): Promise<RecordActionOutcome> {
    return this.run('recording a remediation action', () => this.actions.record(action));
  }

  getAction(idempotencyKey: string): Promise<RemediationAction | undefined> {
    return this.run('reading a remediation action', () => this.actions.get(idempotencyKey));
  }

  listActions(filter?: ActionFilter): Promise<RemediationAction[]> {
    return this.run('listing remediation actions', () => this.actions.list(filter));
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}
