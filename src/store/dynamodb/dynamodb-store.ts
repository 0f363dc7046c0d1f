import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Finding } from '../../findings/types';
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
import { actionOperations } from './actions';
import { findingOperations } from './findings';
import { outboxOperations, processedEventOperations } from './outbox';
import { snapshotOperations } from './snapshots';
import { TableClient } from './table-client';

export interface DynamoStoreOptions {
  /** A plain DynamoDB client; its endpoint, region and retry settings are the caller's (AWS_ENDPOINT_URL etc.). */
  client: DynamoDBClient;
  tableName: string;
  retention?: RetentionOptions;
  /** Items per Query page (Limit); DynamoDB's own 1 MB pages when unset. */
  pageSize?: number;
}

/** The Store on one DynamoDB table (see docs/store.md for the layout; create it with `createTable`). */
export class DynamoStore implements Store {
  private readonly snapshots;
  private readonly findings;
  private readonly events;
  private readonly outbox;
  private readonly actions;

  constructor(options: DynamoStoreOptions) {
    const table = new TableClient(options.client, options.tableName, options.pageSize);
    const retention = retentionOf(options.retention);
    this.snapshots = snapshotOperations(table);
    this.findings = findingOperations(table);
    this.events = processedEventOperations(table, retention);
    this.outbox = outboxOperations(table, retention);
    this.actions = actionOperations(table);
  }

  async saveSnapshot(record: SnapshotInput): Promise<SaveOutcome> {
    return this.snapshots.saveIfNewer(record.keyArn, record.collectedAt, record);
  }

  async saveIfNewer(keyArn: string, eventTime: string, snapshot: SnapshotData): Promise<SaveOutcome> {
    return this.snapshots.saveIfNewer(keyArn, eventTime, snapshot);
  }

  async getLatestSnapshot(keyArn: string): Promise<SnapshotRecord | undefined> {
    return this.snapshots.getLatest(keyArn);
  }

  listLatestSnapshots(): AsyncIterable<SnapshotRecord> {
    return this.snapshots.listLatest();
  }

  async listSnapshotVersions(keyArn: string, limit = 100): Promise<SnapshotRecord[]> {
    return this.snapshots.listVersions(keyArn, limit);
  }

  async recordFindings(keyArn: string, at: string, findings: Finding[]): Promise<FindingsDiff> {
    return this.findings.record(keyArn, at, findings);
  }

  async getFinding(findingId: string): Promise<FindingRecord | undefined> {
    return this.findings.get(findingId);
  }

  async listFindings(keyArn: string): Promise<FindingRecord[]> {
    return this.findings.list(keyArn);
  }

  async markEventProcessed(eventId: string, now: string): Promise<boolean> {
    return this.events.mark(eventId, now);
  }

  async enqueue(message: OutboxMessageInput, now: string): Promise<boolean> {
    return this.outbox.enqueue(message, now);
  }

  async claim(now: string, leaseMs: number, limit: number): Promise<ClaimedMessage[]> {
    return this.outbox.claim(now, leaseMs, limit);
  }

  async acknowledge(messageId: string, now: string): Promise<void> {
    return this.outbox.acknowledge(messageId, now);
  }

  async fail(messageId: string, error: string, retryAt: string | null): Promise<{ attempts: number }> {
    return this.outbox.fail(messageId, error, retryAt);
  }

  async getMessage(messageId: string): Promise<OutboxMessage | undefined> {
    return this.outbox.get(messageId);
  }

  async recordAction(action: RemediationAction): Promise<RecordActionOutcome> {
    return this.actions.record(action);
  }

  async getAction(idempotencyKey: string): Promise<RemediationAction | undefined> {
    return this.actions.get(idempotencyKey);
  }

  async listActions(filter?: ActionFilter): Promise<RemediationAction[]> {
    return this.actions.list(filter);
  }

  /** The client belongs to the caller, who may share it; nothing of ours to release. */
  async close(): Promise<void> {}
}
