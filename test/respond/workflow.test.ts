/**
 * The Step Functions definition driven by the in-repo interpreter through the real task handlers
 * (src/lambda/exposed-key-*.handler.ts) with their real wiring: IAM, STS and SNS on moto, the store on DynamoDB
 * (dynalite), CloudTrail LookupEvents on aws-sdk-client-mock. The credentials are canaries that must never appear
 * in a log line, an execution's output, a notice or the store.
 */
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as containTask from '../../src/lambda/exposed-key-contain.handler';
import * as identifyTask from '../../src/lambda/exposed-key-identify.handler';
import * as investigateTask from '../../src/lambda/exposed-key-investigate.handler';
import * as notifyTask from '../../src/lambda/exposed-key-notify.handler';
import * as notifyFailureTask from '../../src/lambda/exposed-key-notify-failure.handler';
import * as revokeTask from '../../src/lambda/exposed-key-revoke.handler';
import { DynamoStore } from '../../src/store/dynamodb';
import { createTable } from '../../src/store/dynamodb/table';
import { type LocalDynamo, startDynalite } from '../store/dynalite-server';
import { definition } from './asl-definition';
import { type Execution, runStateMachine, type TaskFunction } from './asl-interpreter';
import { attackRecords, healthEvent, rehearsalEntry, type Scenario, trustedAdvisorEvent } from './fixtures';
import { fakeLookupEvents } from './lookup-fake';
import { MOTO_ACCOUNT, MOTO_SKIP_MESSAGE, type MotoWorld, motoAvailable, startMotoWorld } from './moto-world';
import { type SnsReceiver, snsReceiver } from './sns-receiver';

if (!motoAvailable) console.warn(MOTO_SKIP_MESSAGE);

const CANARY_SECRET = 'CANARY/wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
const CANARY_TOKEN = 'CANARY-SESSION-TOKEN-must-never-be-printed';
/** The definition's `${NameFunctionArn}` placeholders (SAM DefinitionSubstitutions), by Name. */
const TASKS: Record<string, { handler: TaskFunction; permissions: readonly string[] }> = {
  Identify: identifyTask,
  Contain: containTask,
  Investigate: investigateTask,
  Revoke: revokeTask,
  Notify: notifyTask,
  NotifyFailure: notifyFailureTask,
};
const functionOf = (resource: string): string => /^\$\{(\w+)FunctionArn\}$/.exec(resource)?.[1] ?? resource;
const cloudtrail = mockClient(CloudTrailClient);
const account = mockClient(AccountClient);

describe.skipIf(!motoAvailable)('the exposed-key workflow through its real task handlers', () => {
  let world: MotoWorld;
  let dynamo: LocalDynamo;
  let receiver: SnsReceiver;
  let key: string;
  let scenario: Scenario;
  let table = 0;
  const logs: string[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    world = await startMotoWorld();
    dynamo = await startDynalite();
  });
  afterAll(async () => {
    await world?.moto.stop();
    await dynamo?.stop();
  });

  beforeEach(async () => {
    await world.moto.reset();
    cloudtrail.reset();
    key = await world.createUserWithKey('alice');
    await world.createRole('Deploy');
    receiver = await snsReceiver(world.sns, 'keywarden-alerts');
    scenario = {
      accessKeyId: key,
      userName: 'alice',
      account: MOTO_ACCOUNT,
      roleName: 'Deploy',
      roleKey: 'ASIAIOSFODNN7EXAMPLE',
      sessionKey: 'ASIAIOSFODNN7SESSION',
      day: '2024-06-02',
    };
    const records = attackRecords(scenario);
    const created = records.find((r) => r.eventName === 'CreateAccessKey') as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    created.responseElements!.accessKey!.secretAccessKey = CANARY_SECRET;
    cloudtrail.on(LookupEventsCommand).callsFake(fakeLookupEvents(records).handler);
    const tableName = `keywarden-${++table}`;
    const made = await createTable(dynamo.client(), tableName);
    if (!made.ok) throw new Error(made.reason);
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: world.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ACCESS_KEY_ID: 'AKIACANARYEXAMPLE000',
      AWS_SECRET_ACCESS_KEY: CANARY_SECRET,
      AWS_SESSION_TOKEN: CANARY_TOKEN,
      TABLE_NAME: tableName,
      ALERTS_TOPIC_ARN: receiver.topicArn,
      RESPONSE_MODE: 'contain',
      TRAIL_REGIONS: 'us-east-1',
      INVESTIGATION_WINDOW: '2024-06-01T00:00:00Z',
    });
    logs.length = 0;
    for (const method of ['log', 'info', 'warn', 'error'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logs.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      });
    }
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    process.env = { ...saved };
    await receiver.close();
  });

  const run = (event: unknown, wrap: (name: string, task: TaskFunction) => TaskFunction = (_, t) => t) =>
    runStateMachine(definition, event, (resource) => {
      const name = functionOf(resource);
      const task = TASKS[name]?.handler;
      return task ? wrap(name, task) : undefined;
    });
  const states = (execution: Execution) => execution.history.map((h) => h.state);
  const store = () => new DynamoStore({ client: dynamo.client(), tableName: process.env.TABLE_NAME as string });

  const expectNoSecret = async (executions: Execution[]) => {
    const actions = await store().listActions();
    const everything = [
      ...logs,
      ...executions.map((e) => JSON.stringify(e)),
      ...receiver.bodies,
      JSON.stringify(actions),
    ].join('\n');
    expect(everything).toContain(key);
    expect(everything).not.toContain('CANARY');
    expect(everything).not.toContain('wJalrXUtnFEMI');
  };

  it('identify -> contain -> investigate -> revoke -> notify, and a second event changes and sends nothing', async () => {
    const first = await run(trustedAdvisorEvent({ accessKeyId: key, userName: 'alice', account: MOTO_ACCOUNT }));
    expect(first.status).toBe('SUCCEEDED');
    expect(states(first)).toEqual(['Identify', 'Bad event?', 'Contain', 'Investigate', 'Revoke', 'Notify']);
    expect(await world.keyStatus('alice', key)).toBe('Inactive');
    expect(await world.attachedPolicies('alice')).toEqual(['arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3']);
    expect(await world.rolePolicy('Deploy', 'AWSRevokeOlderSessions')).toContain('aws:TokenIssueTime');
    const [message] = await receiver.waitFor(1);
    expect(message?.Subject).toBe(`[keywarden] CRITICAL contained: exposed key ${key} (user alice)`);
    expect(logs.some((line) => line.includes('"event":"exposed-key.action"'))).toBe(true);

    const second = await run(healthEvent({ accessKeyId: key, userName: 'alice', account: MOTO_ACCOUNT }));
    expect(second.status).toBe('SUCCEEDED');
    const output = second.output as {
      contain: { results: Array<{ outcome: string }> };
      notice: { deliveries: Array<{ outcome: string }> };
    };
    expect(output.contain.results.map((r) => r.outcome)).toEqual(['already-done', 'already-done']);
    expect(output.notice.deliveries.map((d) => d.outcome)).toEqual(['already-sent']);
    await receiver.waitFor(2, 1000);
    expect(receiver.received).toHaveLength(1);
    await expectNoSecret([first, second]);
  });

  it('contain-and-delete (the ResponseMode parameter) deletes the key after the investigation', async () => {
    process.env.RESPONSE_MODE = 'contain-and-delete';
    const execution = await run(trustedAdvisorEvent({ accessKeyId: key, userName: 'alice', account: MOTO_ACCOUNT }));
    expect(execution.status).toBe('SUCCEEDED');
    expect(await world.keyStatus('alice', key)).toBe('deleted');
    expect((await receiver.waitFor(1))[0]?.Subject).toContain('contained and deleted');
  });

  it('rehearses with a keywarden.test event', async () => {
    const rehearsalKey = await world.createUserWithKey('delete-me');
    const [entry] = rehearsalEntry({ accessKeyId: rehearsalKey });
    const event = {
      source: entry!.Source,
      'detail-type': entry!.DetailType,
      detail: JSON.parse(entry!.Detail as string),
    };
    const execution = await run(event);
    expect(execution.status).toBe('SUCCEEDED');
    expect(await world.keyStatus('delete-me', rehearsalKey)).toBe('Inactive');
    expect((await receiver.waitFor(1))[0]?.Subject).toBe(
      `[keywarden rehearsal] CRITICAL contained: exposed key ${rehearsalKey} (user delete-me)`,
    );
  });

  it('a bad event: the bad-event path, a notice, no action on AWS', async () => {
    const event = trustedAdvisorEvent({ accessKeyId: key, userName: 'alice', account: MOTO_ACCOUNT });
    ((event.detail as Record<string, unknown>)['check-name'] as unknown) = 'Security Groups - Unrestricted Access';
    const execution = await run(event);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Keywarden.BadEvent' });
    expect(states(execution)).toEqual(['Identify', 'Bad event?', 'Notify bad event', 'Bad event']);
    expect(await world.keyStatus('alice', key)).toBe('Active');
    expect(await world.attachedPolicies('alice')).toEqual([]);
    const [message] = await receiver.waitFor(1);
    expect(message?.Message).toContain('unknown check name "Security Groups - Unrestricted Access"');
  });

  it('retries a throttled Lambda invocation and goes on', async () => {
    let calls = 0;
    const execution = await run(
      trustedAdvisorEvent({ accessKeyId: key, userName: 'alice', account: MOTO_ACCOUNT }),
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
    expect(await world.keyStatus('alice', key)).toBe('Inactive');
  });

  it('a step that fails for good takes the failure path: humans hear what failed and what was done', async () => {
    const execution = await run(
      trustedAdvisorEvent({ accessKeyId: key, userName: 'alice', account: MOTO_ACCOUNT }),
      (resource, task) =>
        resource === 'Revoke'
          ? async (input) => {
              const tableName = process.env.TABLE_NAME;
              process.env.TABLE_NAME = 'no-such-table';
              try {
                return await task(input);
              } finally {
                process.env.TABLE_NAME = tableName;
              }
            }
          : task,
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
    expect(await world.keyStatus('alice', key)).toBe('Inactive');
    const [message] = await receiver.waitFor(1);
    expect(message?.Subject).toMatch(new RegExp(`^\\[keywarden\\] CRITICAL exposed-key response FAILED for ${key}: `));
    expect(message?.Message).toContain('no-such-table');
    expect(message?.Message).toMatch(new RegExp(`DONE:\\s+iam:UpdateAccessKey ${key}: deactivated`));
    await expectNoSecret([execution]);
  });
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
    const lookups = fakeLookupEvents(attackRecords(scenario));
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
    const breakRevoke = (name: string, task: TaskFunction): TaskFunction =>
      name === 'Revoke'
        ? async (input) => {
            const tableName = process.env.TABLE_NAME;
            process.env.TABLE_NAME = 'no-such-table';
            try {
              return await tracking(name, task)(input);
            } finally {
              process.env.TABLE_NAME = tableName;
            }
          }
        : tracking(name, task);
    const event = { accessKeyId: key, userName: 'alice', account: MOTO_ACCOUNT };
    expect((await run(trustedAdvisorEvent(event), tracking)).status).toBe('SUCCEEDED');
    expect((await run(healthEvent(event), tracking)).status).toBe('SUCCEEDED');
    current = 'the test itself';
    const other = await world.createUserWithKey('bob');
    expect(
      (await run(trustedAdvisorEvent({ ...event, accessKeyId: other, userName: 'bob' }), breakRevoke)).status,
    ).toBe('FAILED');
    for (const [name, task] of Object.entries(TASKS)) {
      expect([...(sent.get(name) ?? [])].sort(), name).toEqual([...task.permissions].sort());
    }
    account.reset();
  });
});
