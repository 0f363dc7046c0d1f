/**
 * The single-table layout: every item's partition key (pk) and sort key (sk). docs/store.md draws the same table;
 * change both together.
 */
import { sha256 } from '../content';
import type { ItemKey } from './table-client';

/** Latest snapshots are spread over this many partitions so a large scan does not write to one hot partition. */
export const LATEST_SHARDS = 16;

export const latestShardOf = (keyArn: string): string =>
  `LATEST#${String(Number.parseInt(sha256(keyArn).slice(0, 8), 16) % LATEST_SHARDS).padStart(2, '0')}`;

export const latestShards = (): string[] =>
  Array.from({ length: LATEST_SHARDS }, (_, shard) => `LATEST#${String(shard).padStart(2, '0')}`);

export const keys = {
  latestSnapshot: (keyArn: string): ItemKey => ({ pk: latestShardOf(keyArn), sk: keyArn }),
  keyPartition: (keyArn: string): string => `KEY#${keyArn}`,
  snapshotVersion: (keyArn: string, asOf: string): ItemKey => ({ pk: `KEY#${keyArn}`, sk: `VERSION#${asOf}` }),
  bodyPartition: (bodyHash: string): string => `BODY#${bodyHash}`,
  bodyPart: (bodyHash: string, part: number): ItemKey => ({
    pk: `BODY#${bodyHash}`,
    sk: `PART#${String(part).padStart(4, '0')}`,
  }),
  /** The key's whole findings history, one item (see findings-document.ts). */
  findingsDocument: (keyArn: string): ItemKey => ({ pk: `KEY#${keyArn}`, sk: 'FINDINGS' }),
  findingPointer: (findingId: string): ItemKey => ({ pk: `FINDING#${findingId}`, sk: 'KEY' }),
  processedEvent: (eventId: string): ItemKey => ({ pk: `EVENT#${eventId}`, sk: 'EVENT' }),
  outboxMessage: (messageId: string): ItemKey => ({ pk: `OUTBOX#${messageId}`, sk: 'MESSAGE' }),
  /** gsi1pk of outbox messages that are pending or claimed. */
  dueOutbox: 'OUTBOX',
  action: (idempotencyKey: string): ItemKey => ({ pk: `ACTION#${idempotencyKey}`, sk: 'ACTION' }),
  actionLog: (at: string, idempotencyKey: string): ItemKey => ({ pk: 'ACTIONS', sk: `${at}#${idempotencyKey}` }),
  actionLogPartition: 'ACTIONS',
};
