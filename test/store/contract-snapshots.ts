import { expect, it } from 'vitest';
import { StoreError } from '../../src/store/errors';
import type { SnapshotRecord } from '../../src/store/store';
import type { ContractContext } from './contract';
import { at, KEY_ARN, keyIdOf, snapshotOf, snapshotWithManyGrants } from './fixtures';

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';

export const snapshotContract = (context: ContractContext): void => {
  it('saves a scan snapshot and returns it as the key’s latest, with times normalised', async () => {
    const store = context.store();
    const input = snapshotOf(KEY_ID, '2024-05-01T12:00:00Z');
    expect(await store.saveSnapshot(input)).toEqual({ saved: true, asOf: '2024-05-01T12:00:00.000Z' });
    const latest = await store.getLatestSnapshot(KEY_ARN);
    expect(latest).toMatchObject({
      keyArn: KEY_ARN,
      account: '111122223333',
      region: 'us-west-2',
      collectedAt: '2024-05-01T12:00:00.000Z',
      asOf: '2024-05-01T12:00:00.000Z',
    });
    expect(latest?.snapshot).toEqual(input.snapshot);
    expect(latest?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.getLatestSnapshot(KEY_ARN.replace('1234abcd', '00000000'))).toBeUndefined();
  });

  it('saveIfNewer refuses an older event, and accepts the same event time again', async () => {
    const store = context.store();
    const newer = snapshotOf(KEY_ID, at(5), { extraStatementSid: 'Newer' });
    const older = snapshotOf(KEY_ID, at(6), { extraStatementSid: 'Older' });
    expect(await store.saveIfNewer(KEY_ARN, at(2), newer)).toEqual({ saved: true, asOf: at(2) });
    // A late event (eventTime 1) processed after the newer one (eventTime 2) does not overwrite it.
    expect(await store.saveIfNewer(KEY_ARN, at(1), older)).toEqual({
      saved: false,
      reason: 'older',
      latestAsOf: at(2),
    });
    expect((await store.getLatestSnapshot(KEY_ARN))?.snapshot).toEqual(newer.snapshot);
    // The same event replayed is accepted and leaves the same state.
    expect(await store.saveIfNewer(KEY_ARN, at(2), newer)).toEqual({ saved: true, asOf: at(2) });
    expect((await store.getLatestSnapshot(KEY_ARN))?.snapshot).toEqual(newer.snapshot);
    // A scan is ordered by collectedAt like an event by its time.
    expect(await store.saveSnapshot(snapshotOf(KEY_ID, at(1)))).toMatchObject({ saved: false, latestAsOf: at(2) });
    expect(await store.saveSnapshot(snapshotOf(KEY_ID, at(3)))).toEqual({ saved: true, asOf: at(3) });
    expect((await store.getLatestSnapshot(KEY_ARN))?.asOf).toBe(at(3));
  });

  it('keeps one version per distinct state of the key, newest first', async () => {
    const store = context.store();
    await store.saveSnapshot(snapshotOf(KEY_ID, at(1)));
    await store.saveSnapshot(snapshotOf(KEY_ID, at(2))); // same state read again
    await store.saveIfNewer(KEY_ARN, at(3), snapshotOf(KEY_ID, at(4), { extraStatementSid: 'Exposed' }));
    await store.saveSnapshot(snapshotOf(KEY_ID, at(5))); // reverted
    const versions = await store.listSnapshotVersions(KEY_ARN);
    expect(versions.map((v) => v.asOf)).toEqual([at(5), at(3), at(1)]);
    expect(versions[1]?.snapshot.GetKeyPolicy).toMatchObject({ Policy: expect.stringContaining('Exposed') });
    expect(versions[0]?.contentHash).toBe(versions[2]?.contentHash);
    expect(versions[0]?.contentHash).not.toBe(versions[1]?.contentHash);
    expect((await store.listSnapshotVersions(KEY_ARN, 1)).map((v) => v.asOf)).toEqual([at(5)]);
  });

  it('rejects a time that is not ISO 8601 with a StoreError naming the argument', async () => {
    const store = context.store();
    const error = await store.saveIfNewer(KEY_ARN, 'yesterday', snapshotOf(KEY_ID, at(0))).catch((e) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toMatch(/eventTime "yesterday" is not an ISO 8601 time/);
    expect(await store.getLatestSnapshot(KEY_ARN)).toBeUndefined();
  });

  it('round-trips a snapshot larger than a DynamoDB item (a key with 6,000 grants)', async () => {
    const store = context.store();
    const big = snapshotWithManyGrants(6000, at(0));
    expect(JSON.stringify(big.snapshot).length).toBeGreaterThan(2_000_000);
    expect(await store.saveSnapshot(big)).toMatchObject({ saved: true });
    const latest = await store.getLatestSnapshot(KEY_ARN);
    expect(latest?.snapshot).toEqual(big.snapshot);
    const [version] = await store.listSnapshotVersions(KEY_ARN);
    expect(version?.snapshot).toEqual(big.snapshot);
  });

  it('lists the latest snapshot of each of 1,000 keys, page by page, once each', async () => {
    const store = context.store();
    const count = 1000;
    const regions = ['us-east-1', 'eu-west-1'];
    for (let start = 0; start < count; start += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, count - start) }, (_, i) => {
          const n = start + i;
          return store.saveSnapshot(snapshotOf(keyIdOf(n), at(0), { region: regions[n % 2] }));
        }),
      );
    }
    // A newer snapshot of some keys replaces their latest, never adds a second one.
    for (const n of [0, 1, 999]) {
      await store.saveSnapshot(snapshotOf(keyIdOf(n), at(10), { region: regions[n % 2] }));
    }
    const listed: SnapshotRecord[] = [];
    for await (const record of store.listLatestSnapshots()) listed.push(record);
    expect(listed).toHaveLength(count);
    const arns = new Set(listed.map((r) => r.keyArn));
    expect(arns.size).toBe(count);
    for (let n = 0; n < count; n++) {
      expect(arns.has(`arn:aws:kms:${regions[n % 2]}:111122223333:key/${keyIdOf(n)}`)).toBe(true);
    }
    const byArn = new Map(listed.map((r) => [r.keyArn, r]));
    expect(byArn.get(`arn:aws:kms:us-east-1:111122223333:key/${keyIdOf(0)}`)?.asOf).toBe(at(10));
    expect(byArn.get(`arn:aws:kms:eu-west-1:111122223333:key/${keyIdOf(3)}`)).toMatchObject({
      asOf: at(0),
      region: 'eu-west-1',
    });
    for (const record of listed) expect(record.snapshot.DescribeKey).toHaveProperty('KeyMetadata.Arn', record.keyArn);
  });
};
