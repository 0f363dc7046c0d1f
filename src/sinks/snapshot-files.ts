/** Writes keywarden.snapshot/v1 records as files, one per key (`keywarden snapshot export DIR`). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawSnapshot } from '../kms/snapshot-format';

/** A file name that is stable for a key and safe on every file system. */
export function snapshotFileName(keyArn: string, account: string, region: string): string {
  const keyId = keyArn.split('/').pop() ?? keyArn;
  return `${account}-${region}-${keyId}.json`.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function writeSnapshotFile(dir: string, keyArn: string, record: RawSnapshot): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, snapshotFileName(keyArn, record.account, record.region));
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
