import { toJson } from '../content';
import type { ActionFilter, RecordActionOutcome, RemediationAction } from '../store';
import { isoTime } from '../time';
import { type Item, json, optStr, S, str } from './attributes';
import { keys } from './keys';
import type { TableClient } from './table-client';

export const DEFAULT_ACTION_LIMIT = 100;

const attributesOf = (action: RemediationAction, at: string): Item => ({
  idempotencyKey: S(action.idempotencyKey),
  at: S(at),
  action: S(action.action),
  target: S(action.target),
  outcome: S(action.outcome),
  ...(action.findingId !== undefined ? { findingId: S(action.findingId) } : {}),
  ...(action.actor !== undefined ? { actor: S(action.actor) } : {}),
  ...(action.detail !== undefined ? { detail: S(toJson(action.detail, 'remediation detail')) } : {}),
});

const toAction = (item: Item): RemediationAction => {
  const findingId = optStr(item, 'findingId');
  const actor = optStr(item, 'actor');
  return {
    idempotencyKey: str(item, 'idempotencyKey'),
    at: str(item, 'at'),
    action: str(item, 'action'),
    target: str(item, 'target'),
    ...(findingId !== undefined ? { findingId } : {}),
    outcome: str(item, 'outcome') as RemediationAction['outcome'],
    ...(actor !== undefined ? { actor } : {}),
    ...(item.detail ? { detail: json(item, 'detail') } : {}),
  };
};

/**
 * Two items per action: `ACTION#<idempotency key>` (the conditional put that makes recording idempotent) and a copy
 * in the `ACTIONS` log partition, sorted by time, that listActions reads. The copy is written after the first and
 * rewritten whenever the same key is recorded again, so a crash in between heals on the retry.
 */
export const actionOperations = (table: TableClient) => {
  const putLogEntry = async (attributes: Item) => {
    const key = keys.actionLog(str(attributes, 'at'), str(attributes, 'idempotencyKey'));
    await table.put({ pk: S(key.pk), sk: S(key.sk), ...attributes });
  };

  return {
    async record(action: RemediationAction): Promise<RecordActionOutcome> {
      const attributes = attributesOf(action, isoTime(action.at, 'at'));
      const key = keys.action(action.idempotencyKey);
      const recorded = await table.put(
        { pk: S(key.pk), sk: S(key.sk), ...attributes },
        { condition: 'attribute_not_exists(pk)' },
      );
      if (recorded) {
        await putLogEntry(attributes);
        return { recorded: true };
      }
      const existing = (await table.get(key))!;
      const { pk: _pk, sk: _sk, ...existingAttributes } = existing;
      await putLogEntry(existingAttributes);
      return { recorded: false, existing: toAction(existing) };
    },

    async get(idempotencyKey: string): Promise<RemediationAction | undefined> {
      const item = await table.get(keys.action(idempotencyKey));
      return item && toAction(item);
    },

    async list(filter: ActionFilter = {}): Promise<RemediationAction[]> {
      const limit = filter.limit ?? DEFAULT_ACTION_LIMIT;
      const actions: RemediationAction[] = [];
      if (limit <= 0) return actions;
      const conditions: string[] = [];
      const values: Item = { ':pk': S(keys.actionLogPartition) };
      if (filter.target !== undefined) {
        conditions.push('#target = :target');
        values[':target'] = S(filter.target);
      }
      if (filter.findingId !== undefined) {
        conditions.push('#findingId = :finding');
        values[':finding'] = S(filter.findingId);
      }
      for await (const item of table.query({
        keyCondition: 'pk = :pk',
        values,
        filter: conditions.length > 0 ? conditions.join(' AND ') : undefined,
        newestFirst: true,
      })) {
        actions.push(toAction(item));
        if (actions.length >= limit) break;
      }
      return actions;
    },
  };
};
