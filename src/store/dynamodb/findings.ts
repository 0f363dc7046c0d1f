import type { Finding } from '../../findings/types';
import { StoreError } from '../errors';
import { sortDiff } from '../findings-transition';
import type { FindingRecord, FindingsDiff } from '../store';
import { isoTime } from '../time';
import { type Item, N, num, S, str } from './attributes';
import { readBody, writeBody } from './body';
import { applyRecording, emptyDocument, type FindingsDocument, toFindingRecord } from './findings-document';
import { keys } from './keys';
import type { TableClient } from './table-client';

/** Conditional writes lost to concurrent recorders of the same key before we give up. */
const MAX_ATTEMPTS = 20;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const findingOperations = (table: TableClient) => {
  const readDocument = async (keyArn: string): Promise<{ item?: Item; document: FindingsDocument }> => {
    const item = await table.get(keys.findingsDocument(keyArn));
    return item ? { item, document: (await readBody(table, item)) as FindingsDocument } : { document: emptyDocument() };
  };

  return {
    /** Read the key's document, apply the recording, put it back on the condition that nobody wrote in between. */
    async record(keyArn: string, atInput: string, findings: Finding[]): Promise<FindingsDiff> {
      const at = isoTime(atInput, 'at');
      const key = keys.findingsDocument(keyArn);
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const { item, document } = await readDocument(keyArn);
        if (document.recordedAt !== undefined && document.recordedAt > at) {
          return { status: 'stale', at, latestAt: document.recordedAt };
        }
        const { document: next, diff } = applyRecording(document, at, findings);
        // Pointers first, so getFinding finds every finding a document holds.
        for (const id of Object.keys(next.findings)) {
          if (document.findings[id]) continue;
          const pointer = keys.findingPointer(id);
          await table.put(
            { pk: S(pointer.pk), sk: S(pointer.sk), keyArn: S(keyArn) },
            { condition: 'attribute_not_exists(pk)' },
          );
        }
        const version = item ? num(item, 'version') : 0;
        const written = await table.put(
          {
            pk: S(key.pk),
            sk: S(key.sk),
            keyArn: S(keyArn),
            recordedAt: S(at),
            version: N(version + 1),
            ...(await writeBody(table, next, 'findings')),
          },
          item
            ? { condition: '#version = :version', values: { ':version': N(version) } }
            : { condition: 'attribute_not_exists(pk)' },
        );
        if (written) return { status: 'recorded', at, ...sortDiff(diff) };
        await pause(Math.random() * 10 * (attempt + 1));
      }
      throw new StoreError(
        `the findings of ${keyArn} kept changing under concurrent writers in DynamoDB table ${table.tableName}; ` +
          'record them again',
        table.tableName,
      );
    },

    async get(findingId: string): Promise<FindingRecord | undefined> {
      const pointer = await table.get(keys.findingPointer(findingId));
      if (!pointer) return undefined;
      const keyArn = str(pointer, 'keyArn');
      const stored = (await readDocument(keyArn)).document.findings[findingId];
      return stored && toFindingRecord(keyArn, findingId, stored);
    },

    async list(keyArn: string): Promise<FindingRecord[]> {
      const { document } = await readDocument(keyArn);
      return Object.keys(document.findings)
        .sort()
        .map((id) => toFindingRecord(keyArn, id, document.findings[id]!));
    },
  };
};
