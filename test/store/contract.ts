/**
 * The one contract every Store implementation keeps. `storeContract(name, createHarness)` registers the whole suite;
 * test/store/sqlite.test.ts and test/store/dynamodb.test.ts run it against a temporary SQLite file and a dynalite
 * table reached through the real AWS SDK.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../../src/store/store';
import { actionContract } from './contract-actions';
import { findingContract } from './contract-findings';
import { outboxContract } from './contract-outbox';
import { snapshotContract } from './contract-snapshots';

export interface StoreHarness {
  /** A Store on this harness's storage; each call is another worker (another connection, another client). */
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

export interface ContractContext {
  /** The first worker's store. */
  store(): Store;
  /** `count` more workers on the same storage. */
  workers(count: number): Promise<Store[]>;
}

export const storeContract = (name: string, createHarness: () => Promise<StoreHarness>): void => {
  describe(`Store contract: ${name}`, () => {
    let harness: StoreHarness;
    let first: Store;
    const opened: Store[] = [];

    beforeEach(async () => {
      harness = await createHarness();
      first = await harness.open();
      opened.push(first);
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
      await harness.cleanup();
    });

    const context: ContractContext = {
      store: () => first,
      workers: async (count) => {
        const stores = await Promise.all(Array.from({ length: count }, () => harness.open()));
        opened.push(...stores);
        return stores;
      },
    };

    describe('snapshots', () => snapshotContract(context));
    describe('findings history', () => findingContract(context));
    describe('processed events and outbox', () => outboxContract(context));
    describe('remediation log', () => actionContract(context));
  });
};
