/**
 * Large JSON values (snapshots, a key's findings history): gzipped JSON in the item itself, or, when even compressed
 * the value would break DynamoDB's 400 KB item limit (a key with thousands of grants), in content-addressed part
 * items written before the item that points to them, so a reader never follows a pointer to missing parts and no
 * transaction is needed.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { sha256, toJson } from '../content';
import { StoreError } from '../errors';
import { B, type Item, N, optBin, optNum, S, str } from './attributes';
import { keys } from './keys';
import type { TableClient } from './table-client';

/** Largest compressed body kept inline, and the size of each part otherwise (both under 400 KB with the keys). */
export const INLINE_LIMIT = 300_000;
export const PART_SIZE = 300_000;

/** Writes the parts when needed; returns the attributes that reference the body. */
export const writeBody = async (table: TableClient, value: unknown, what: string): Promise<Item> => {
  const compressed = gzipSync(toJson(value, what));
  if (compressed.length <= INLINE_LIMIT) return { body: B(compressed) };
  const bodyHash = sha256(compressed);
  const parts = Math.ceil(compressed.length / PART_SIZE);
  for (let part = 0; part < parts; part++) {
    const key = keys.bodyPart(bodyHash, part);
    await table.put({
      pk: S(key.pk),
      sk: S(key.sk),
      data: B(compressed.subarray(part * PART_SIZE, (part + 1) * PART_SIZE)),
    });
  }
  return { bodyRef: S(bodyHash), bodyParts: N(parts) };
};

export const readBody = async (table: TableClient, item: Item): Promise<unknown> => {
  const inline = optBin(item, 'body');
  if (inline) return JSON.parse(gunzipSync(inline).toString('utf8'));
  const bodyHash = str(item, 'bodyRef');
  const expected = optNum(item, 'bodyParts') ?? 0;
  const chunks: Uint8Array[] = [];
  for await (const part of table.query({
    keyCondition: 'pk = :pk',
    values: { ':pk': S(keys.bodyPartition(bodyHash)) },
  })) {
    const data = optBin(part, 'data');
    if (data) chunks.push(data);
  }
  if (chunks.length !== expected) {
    throw new StoreError(
      `stored value ${bodyHash} of ${item.pk?.S} / ${item.sk?.S} has ${chunks.length} of ${expected} parts in ` +
        `DynamoDB table ${table.tableName}: it was damaged; rescan the key to store it again`,
      table.tableName,
    );
  }
  return JSON.parse(gunzipSync(Buffer.concat(chunks)).toString('utf8'));
};
