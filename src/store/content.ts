import { createHash } from 'node:crypto';
import type { RawSnapshot } from '../kms/snapshot-format';
import { StoreError } from './errors';

/** JSON with object keys sorted, so the same value always gives the same text. */
export const canonicalJson = (value: unknown): string => JSON.stringify(sortKeys(value));

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
};

export const sha256 = (text: string | Uint8Array): string => createHash('sha256').update(text).digest('hex');

/** Identity of a key's state: the snapshot without the time it was read. */
export const snapshotContentHash = (snapshot: RawSnapshot): string => {
  const { collectedAt: _readAt, ...state } = snapshot;
  return sha256(canonicalJson(state));
};

/** JSON text of a caller's value, with a clear error when it cannot be stored. */
export const toJson = (value: unknown, what: string): string => {
  const text = JSON.stringify(value);
  if (text === undefined) {
    throw new StoreError(`${what} is not JSON-serialisable: pass a plain object, array, string or number`, what);
  }
  return text;
};
