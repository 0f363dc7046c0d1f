/** The workflow definition: valid ASL (asl-validator), and the retry / catch shape every task must keep. */
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { definition, substituted } from './asl-definition';
import { runStateMachine, type StateMachineDefinition } from './asl-interpreter';

const LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

describe('deploy/statemachines/exposed-key.asl.json', () => {
  it('is valid Amazon States Language, as written and once the function ARNs are substituted', () => {
    for (const candidate of [definition, substituted()]) {
      const result = aslValidator(candidate);
      expect(result.errors).toEqual([]);
      expect(result.isValid).toBe(true);
    }
  });

  it('the validator does catch a broken definition', () => {
    const broken = substituted();
    (broken.States.Contain as Record<string, unknown>).Next = 'Nowhere';
    expect(aslValidator(broken).isValid).toBe(false);
  });

  it('every task retries throttling and service errors; every step of the response catches into the failure path', () => {
    const tasks = Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');
    expect(tasks.map(([name]) => name)).toEqual([
      'Identify',
      'Contain',
      'Investigate',
      'Revoke',
      'Notify',
      'Notify bad event',
      'Notify failure',
    ]);
    for (const [name, state] of tasks) {
      const retried = (state.Retry ?? []).flatMap((r) => r.ErrorEquals);
      expect(retried, name).toEqual(expect.arrayContaining([...LAMBDA_ERRORS, 'Keywarden.Retryable']));
      for (const retry of state.Retry ?? []) expect(retry.BackoffRate, name).toBeGreaterThanOrEqual(2);
      if (['Notify bad event', 'Notify failure'].includes(name)) continue;
      expect(state.Catch, name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Notify failure' },
      ]);
    }
    expect(definition.States['Response failed']?.Type).toBe('Fail');
    expect(definition.States['Bad event']?.Type).toBe('Fail');
  });

  it('uses only the states and fields the in-repo interpreter runs', async () => {
    const ok = async () => ({ format: 'keywarden.exposed-key/v1', done: true });
    const execution = await runStateMachine(substituted(), { detail: {} }, () => ok);
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.history.map((h) => h.state)).toEqual([
      'Identify',
      'Bad event?',
      'Contain',
      'Investigate',
      'Revoke',
      'Notify',
    ]);
  });
});

describe('the interpreter', () => {
  const machine: StateMachineDefinition = {
    StartAt: 'Work',
    States: {
      Work: {
        Type: 'Task',
        Resource: 'work',
        Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 3 }],
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Failed' }],
        ResultPath: '$.result',
        Next: 'Which',
      },
      Which: {
        Type: 'Choice',
        Choices: [{ Variable: '$.result.big', BooleanEquals: true, Next: 'Big' }],
        Default: 'Small',
      },
      Big: { Type: 'Pass', Result: 'big', ResultPath: '$.label', End: true },
      Small: { Type: 'Succeed' },
      Failed: { Type: 'Fail', Error: 'Work.Failed', Cause: 'see $.failure' },
    },
  };
  const failing = (names: string[], value: unknown) => {
    let call = 0;
    return async () => {
      const name = names[call++];
      if (name) throw Object.assign(new Error(`failure ${call}`), { name });
      return value;
    };
  };

  it('retries with backoff, then goes on', async () => {
    const execution = await runStateMachine(machine, { n: 1 }, () => failing(['Busy', 'Busy'], { big: true }));
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toEqual({ n: 1, result: { big: true }, label: 'big' });
    expect(execution.history.filter((h) => h.state === 'Work').map((h) => h.retryInSeconds)).toEqual([2, 6, undefined]);
  });

  it('catches what its retries do not cure, and what it does not retry', async () => {
    const exhausted = await runStateMachine(machine, {}, () => failing(['Busy', 'Busy', 'Busy'], {}));
    expect(exhausted).toMatchObject({ status: 'FAILED', error: 'Work.Failed' });
    const other = await runStateMachine(machine, {}, () => failing(['Broken'], {}));
    expect(other.history.map((h) => [h.state, h.error])).toEqual([
      ['Work', 'Broken'],
      ['Failed', undefined],
    ]);
  });

  it('takes the Default of a Choice, and refuses states outside the subset', async () => {
    expect((await runStateMachine(machine, {}, () => async () => ({ big: false }))).history.at(-1)?.state).toBe(
      'Small',
    );
    const map = { StartAt: 'M', States: { M: { Type: 'Map', End: true } } } as StateMachineDefinition;
    await expect(runStateMachine(map, {}, () => undefined)).rejects.toThrow('outside the supported subset');
  });
});
