/**
 * The Step Functions definition driven by the in-repo interpreter through the real task handlers
 * (src/lambda/exposed-key-*.handler.ts) with their real wiring (see workflow-world.ts). The credentials are canaries
 * that must never appear in a log line, an execution's output, a notice or the store.
 */
import { describe, expect, it } from 'vitest';
import type { TaskFunction } from './asl-interpreter';
import { healthEvent, rehearsalEntry, trustedAdvisorEvent } from './fixtures';
import { MOTO_ACCOUNT, MOTO_SKIP_MESSAGE, motoAvailable } from './moto-world';
import { states, useWorkflowWorld } from './workflow-world';

if (!motoAvailable) console.warn(MOTO_SKIP_MESSAGE);

describe.skipIf(!motoAvailable)('the exposed-key workflow through its real task handlers', () => {
  const { ctx, run, expectNoSecret, withoutTable } = useWorkflowWorld();

  it('identify -> contain -> investigate -> revoke -> notify, and a second event changes and sends nothing', async () => {
    const first = await run(trustedAdvisorEvent({ accessKeyId: ctx.key, userName: 'alice', account: MOTO_ACCOUNT }));
    expect(first.status).toBe('SUCCEEDED');
    expect(states(first)).toEqual(['Identify', 'Bad event?', 'Contain', 'Investigate', 'Revoke', 'Notify']);
    expect(await ctx.world.keyStatus('alice', ctx.key)).toBe('Inactive');
    expect(await ctx.world.attachedPolicies('alice')).toEqual([
      'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3',
    ]);
    expect(await ctx.world.rolePolicy('Deploy', 'AWSRevokeOlderSessions')).toContain('aws:TokenIssueTime');
    const [message] = await ctx.receiver.waitFor(1);
    expect(message?.Subject).toBe(`[keywarden] CRITICAL contained: exposed key ${ctx.key} (user alice)`);
    expect(ctx.logs.some((line) => line.includes('"event":"exposed-key.action"'))).toBe(true);

    const second = await run(healthEvent({ accessKeyId: ctx.key, userName: 'alice', account: MOTO_ACCOUNT }));
    expect(second.status).toBe('SUCCEEDED');
    const output = second.output as {
      contain: { results: Array<{ outcome: string }> };
      notice: { deliveries: Array<{ outcome: string }> };
    };
    expect(output.contain.results.map((r) => r.outcome)).toEqual(['already-done', 'already-done']);
    expect(output.notice.deliveries.map((d) => d.outcome)).toEqual(['already-sent']);
    await ctx.receiver.waitFor(2, 1000);
    expect(ctx.receiver.received).toHaveLength(1);
    await expectNoSecret([first, second]);
  });

  it('contain-and-delete (the ResponseMode parameter) deletes the key after the investigation', async () => {
    process.env.RESPONSE_MODE = 'contain-and-delete';
    const execution = await run(
      trustedAdvisorEvent({ accessKeyId: ctx.key, userName: 'alice', account: MOTO_ACCOUNT }),
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(await ctx.world.keyStatus('alice', ctx.key)).toBe('deleted');
    expect((await ctx.receiver.waitFor(1))[0]?.Subject).toContain('contained and deleted');
  });

  it('rehearses with a keywarden.test event', async () => {
    const rehearsalKey = await ctx.world.createUserWithKey('delete-me');
    const [entry] = rehearsalEntry({ accessKeyId: rehearsalKey });
    const event = {
      source: entry!.Source,
      'detail-type': entry!.DetailType,
      detail: JSON.parse(entry!.Detail as string),
    };
    const execution = await run(event);
    expect(execution.status).toBe('SUCCEEDED');
    expect(await ctx.world.keyStatus('delete-me', rehearsalKey)).toBe('Inactive');
    expect((await ctx.receiver.waitFor(1))[0]?.Subject).toBe(
      `[keywarden rehearsal] CRITICAL contained: exposed key ${rehearsalKey} (user delete-me)`,
    );
  });

  it('a bad event: the bad-event path, a notice, no action on AWS', async () => {
    const event = trustedAdvisorEvent({ accessKeyId: ctx.key, userName: 'alice', account: MOTO_ACCOUNT });
    ((event.detail as Record<string, unknown>)['check-name'] as unknown) = 'Security Groups - Unrestricted Access';
    const execution = await run(event);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Keywarden.BadEvent' });
    expect(states(execution)).toEqual(['Identify', 'Bad event?', 'Notify bad event', 'Bad event']);
    expect(await ctx.world.keyStatus('alice', ctx.key)).toBe('Active');
    expect(await ctx.world.attachedPolicies('alice')).toEqual([]);
    const [message] = await ctx.receiver.waitFor(1);
    expect(message?.Message).toContain('unknown check name "Security Groups - Unrestricted Access"');
  });

  it('retries a throttled Lambda invocation and goes on', async () => {
    let calls = 0;
    const execution = await run(
      trustedAdvisorEvent({ accessKeyId: ctx.key, userName: 'alice', account: MOTO_ACCOUNT }),
      (resource, task) =>
        resource === 'Contain'
          ? async (input) => {
              if (calls++ === 0)
                throw Object.assign(new Error('Rate Exceeded.'), { name: 'Lambda.TooManyRequestsException' });
              return task(input);
            }
          : task,
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(
      execution.history.filter((h) => h.state === 'Contain').map((h) => [h.attempt, h.error, h.retryInSeconds]),
    ).toEqual([
      [1, 'Lambda.TooManyRequestsException', 2],
      [2, undefined, undefined],
    ]);
    expect(await ctx.world.keyStatus('alice', ctx.key)).toBe('Inactive');
  });

  it('a step that fails for good takes the failure path: humans hear what failed and what was done', async () => {
    const execution = await run(
      trustedAdvisorEvent({ accessKeyId: ctx.key, userName: 'alice', account: MOTO_ACCOUNT }),
      withoutTable('Revoke'),
    );
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Keywarden.ResponseFailed' });
    expect(states(execution)).toEqual([
      'Identify',
      'Bad event?',
      'Contain',
      'Investigate',
      'Revoke',
      'Notify failure',
      'Response failed',
    ]);
    expect(await ctx.world.keyStatus('alice', ctx.key)).toBe('Inactive');
    const [message] = await ctx.receiver.waitFor(1);
    expect(message?.Subject).toMatch(
      new RegExp(`^\\[keywarden\\] CRITICAL exposed-key response FAILED for ${ctx.key}: `),
    );
    expect(message?.Message).toContain('no-such-table');
    expect(message?.Message).toMatch(new RegExp(`DONE:\\s+iam:UpdateAccessKey ${ctx.key}: deactivated`));
    await expectNoSecret([execution]);
  });

  it('when Identify itself fails, the failure notice reads the case from the raw event', async () => {
    const broken: TaskFunction = async () => {
      throw Object.assign(new Error('the function crashed'), { name: 'Runtime.ExitError' });
    };
    const execution = await run(
      trustedAdvisorEvent({ accessKeyId: ctx.key, userName: 'alice', account: MOTO_ACCOUNT }),
      (name, task) => (name === 'Identify' ? broken : task),
    );
    expect(states(execution)).toEqual(['Identify', 'Notify failure', 'Response failed']);
    expect(await ctx.world.keyStatus('alice', ctx.key)).toBe('Active');
    const [message] = await ctx.receiver.waitFor(1);
    expect(message?.Subject).toBe(`[keywarden] CRITICAL exposed-key response FAILED for ${ctx.key}: Runtime.ExitError`);
    expect(message?.Message).toContain('Cause: the function crashed');
  });
});
