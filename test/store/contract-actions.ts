import { expect, it } from 'vitest';
import type { RemediationAction } from '../../src/store/store';
import type { ContractContext } from './contract';
import { at, KEY_ARN } from './fixtures';

const putPolicy = (minute: number, key = `fix:kw1-5f0c2a9d1e7b4c3a:${minute}`): RemediationAction => ({
  idempotencyKey: key,
  at: at(minute),
  action: 'PutKeyPolicy',
  target: KEY_ARN,
  findingId: 'kw1-5f0c2a9d1e7b4c3a',
  outcome: 'applied',
  actor: 'arn:aws:iam::111122223333:user/security-admin',
  detail: { BypassPolicyLockoutSafetyCheck: false, previousPolicyHash: 'a3f1' },
});

export const actionContract = (context: ContractContext): void => {
  it('records an action once per idempotency key and returns the first on a retry', async () => {
    const store = context.store();
    const action = putPolicy(1);
    expect(await store.recordAction(action)).toEqual({ recorded: true });
    const retry = { ...action, at: at(2), outcome: 'failed' as const };
    expect(await store.recordAction(retry)).toEqual({ recorded: false, existing: action });
    expect(await store.getAction(action.idempotencyKey)).toEqual(action);
    expect(await store.getAction('fix:unknown')).toBeUndefined();
    expect(await store.listActions()).toEqual([action]);
  });

  it('records one action when concurrent workers try the same key', async () => {
    const workers = await context.workers(4);
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, n) => workers[n % 4]!.recordAction({ ...putPolicy(1), at: at(n) })),
    );
    expect(outcomes.filter((o) => o.recorded)).toHaveLength(1);
    expect(await context.store().listActions()).toHaveLength(1);
  });

  it('lists actions newest first, by target, by finding, and up to a limit', async () => {
    const store = context.store();
    const grant: RemediationAction = {
      idempotencyKey: 'exposed-key:AKIAIOSFODNN7EXAMPLE:deactivate',
      at: at(3),
      action: 'UpdateAccessKey',
      target: 'AKIAIOSFODNN7EXAMPLE',
      outcome: 'dry-run',
    };
    for (const action of [putPolicy(1), grant, putPolicy(5), putPolicy(2)]) await store.recordAction(action);
    expect((await store.listActions()).map((a) => a.at)).toEqual([at(5), at(3), at(2), at(1)]);
    expect((await store.listActions({ target: KEY_ARN })).map((a) => a.at)).toEqual([at(5), at(2), at(1)]);
    expect(await store.listActions({ target: 'AKIAIOSFODNN7EXAMPLE' })).toEqual([grant]);
    expect((await store.listActions({ findingId: 'kw1-5f0c2a9d1e7b4c3a', limit: 2 })).map((a) => a.at)).toEqual([
      at(5),
      at(2),
    ]);
  });
};
