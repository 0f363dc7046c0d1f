/**
 * Each exposed-key task sends exactly the AWS actions its handler declares as `permissions` (the template's role for
 * it grants exactly those, see test/deploy): every command of real runs is recorded per task.
 */
import { ListRegionsCommand } from '@aws-sdk/client-account';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it, vi } from 'vitest';
import type { TaskFunction } from './asl-interpreter';
import { attackRecords, healthEvent, trustedAdvisorEvent } from './fixtures';
import { fakeLookupEvents } from './lookup-fake';
import { MOTO_ACCOUNT, MOTO_SKIP_MESSAGE, motoAvailable } from './moto-world';
import { account, cloudtrail, TASKS, useWorkflowWorld } from './workflow-world';

if (!motoAvailable) console.warn(MOTO_SKIP_MESSAGE);

describe.skipIf(!motoAvailable)('the AWS actions of the exposed-key tasks', () => {
  const { ctx, run, withoutTable } = useWorkflowWorld();

  it('each task sends exactly the AWS actions it declares (its role grants these)', async () => {
    process.env.RESPONSE_MODE = 'contain-and-delete';
    process.env.TRAIL_REGIONS = 'all';
    let current = '';
    const sent = new Map<string, Set<string>>();
    const record = (action: string) => {
      const set = sent.get(current) ?? new Set<string>();
      set.add(action);
      sent.set(current, set);
    };
    const prefixes: Array<[{ prototype: { send: unknown } }, string]> = [
      [IAMClient, 'iam'],
      [STSClient, 'sts'],
      [SNSClient, 'sns'],
      [DynamoDBClient, 'dynamodb'],
    ];
    for (const [client, prefix] of prefixes) {
      const original = client.prototype.send as (...args: unknown[]) => Promise<unknown>;
      vi.spyOn(client.prototype as { send: (...args: unknown[]) => Promise<unknown> }, 'send').mockImplementation(
        function (this: unknown, ...args: unknown[]) {
          record(`${prefix}:${(args[0] as object).constructor.name.replace(/Command$/, '')}`);
          return original.apply(this, args);
        },
      );
    }
    const lookups = fakeLookupEvents(attackRecords(ctx.scenario));
    cloudtrail.on(LookupEventsCommand).callsFake(async (input, getClient) => {
      record('cloudtrail:LookupEvents');
      return lookups.handler(input, getClient);
    });
    account.on(ListRegionsCommand).callsFake(async () => {
      record('account:ListRegions');
      return { Regions: [{ RegionName: 'us-east-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' }] };
    });
    const tracking =
      (name: string, task: TaskFunction): TaskFunction =>
      async (input) => {
        current = name;
        return task(input);
      };
    const event = { accessKeyId: ctx.key, userName: 'alice', account: MOTO_ACCOUNT };
    expect((await run(trustedAdvisorEvent(event), tracking)).status).toBe('SUCCEEDED');
    expect((await run(healthEvent(event), tracking)).status).toBe('SUCCEEDED');
    current = 'the test itself';
    const other = await ctx.world.createUserWithKey('bob');
    expect(
      (
        await run(
          trustedAdvisorEvent({ ...event, accessKeyId: other, userName: 'bob' }),
          withoutTable('Revoke', tracking),
        )
      ).status,
    ).toBe('FAILED');
    for (const [name, task] of Object.entries(TASKS)) {
      expect([...(sent.get(name) ?? [])].sort(), name).toEqual([...task.permissions].sort());
    }
    account.reset();
  });
});
