/**
 * The world the workflow tests run the real task handlers in: IAM, STS and SNS on moto, the store on DynamoDB
 * (dynalite), CloudTrail LookupEvents (and account:ListRegions) on aws-sdk-client-mock, the alerts topic delivering
 * to a local HTTP endpoint, console output captured, and canary credentials in the environment.
 */
import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';
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
import { attackRecords, type Scenario } from './fixtures';
import { fakeLookupEvents } from './lookup-fake';
import { MOTO_ACCOUNT, type MotoWorld, startMotoWorld } from './moto-world';
import { type SnsReceiver, snsReceiver } from './sns-receiver';

export const CANARY_SECRET = 'CANARY/wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
export const CANARY_TOKEN = 'CANARY-SESSION-TOKEN-must-never-be-printed';

/** The definition's `${NameFunctionArn}` placeholders (SAM DefinitionSubstitutions), by Name. */
export const TASKS: Record<string, { handler: TaskFunction; permissions: readonly string[] }> = {
  Identify: identifyTask,
  Contain: containTask,
  Investigate: investigateTask,
  Revoke: revokeTask,
  Notify: notifyTask,
  NotifyFailure: notifyFailureTask,
};
const functionOf = (resource: string): string => /^\$\{(\w+)FunctionArn\}$/.exec(resource)?.[1] ?? resource;

export const cloudtrail = mockClient(CloudTrailClient);
export const account = mockClient(AccountClient);

export type Wrap = (name: string, task: TaskFunction) => TaskFunction;

export interface WorkflowWorld {
  world: MotoWorld;
  dynamo: LocalDynamo;
  receiver: SnsReceiver;
  /** alice's access key, fresh for each test. */
  key: string;
  scenario: Scenario;
  logs: string[];
}

/** Registers the hooks of a describe block; the returned object is filled before each test. */
export const useWorkflowWorld = () => {
  const ctx = { logs: [] as string[] } as WorkflowWorld;
  let table = 0;
  const saved = { ...process.env };

  beforeAll(async () => {
    ctx.world = await startMotoWorld();
    ctx.dynamo = await startDynalite();
  });
  afterAll(async () => {
    await ctx.world?.moto.stop();
    await ctx.dynamo?.stop();
  });
  beforeEach(async () => {
    await ctx.world.moto.reset();
    cloudtrail.reset();
    account.reset();
    ctx.key = await ctx.world.createUserWithKey('alice');
    await ctx.world.createRole('Deploy');
    ctx.receiver = await snsReceiver(ctx.world.sns, 'keywarden-alerts');
    ctx.scenario = {
      accessKeyId: ctx.key,
      userName: 'alice',
      account: MOTO_ACCOUNT,
      roleName: 'Deploy',
      roleKey: 'ASIAIOSFODNN7EXAMPLE',
      sessionKey: 'ASIAIOSFODNN7SESSION',
      day: '2024-06-02',
    };
    const records = attackRecords(ctx.scenario);
    const created = records.find((r) => r.eventName === 'CreateAccessKey') as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    created.responseElements!.accessKey!.secretAccessKey = CANARY_SECRET;
    cloudtrail.on(LookupEventsCommand).callsFake(fakeLookupEvents(records).handler);
    const tableName = `keywarden-${++table}`;
    const made = await createTable(ctx.dynamo.client(), tableName);
    if (!made.ok) throw new Error(made.reason);
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: ctx.world.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: ctx.dynamo.endpoint,
      AWS_ACCESS_KEY_ID: 'AKIACANARYEXAMPLE000',
      AWS_SECRET_ACCESS_KEY: CANARY_SECRET,
      AWS_SESSION_TOKEN: CANARY_TOKEN,
      TABLE_NAME: tableName,
      ALERTS_TOPIC_ARN: ctx.receiver.topicArn,
      RESPONSE_MODE: 'contain',
      TRAIL_REGIONS: 'us-east-1',
      INVESTIGATION_WINDOW: '2024-06-01T00:00:00Z',
    });
    ctx.logs.length = 0;
    for (const method of ['log', 'info', 'warn', 'error'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        ctx.logs.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      });
    }
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    process.env = { ...saved };
    await ctx.receiver.close();
  });

  const run = (event: unknown, wrap: Wrap = (_, t) => t): Promise<Execution> =>
    runStateMachine(definition, event, (resource) => {
      const name = functionOf(resource);
      const task = TASKS[name]?.handler;
      return task ? wrap(name, task) : undefined;
    });
  const store = () => new DynamoStore({ client: ctx.dynamo.client(), tableName: process.env.TABLE_NAME as string });

  /** No canary in any log line, execution, notice or remediation record (and the key id, an identifier, is there). */
  const expectNoSecret = async (executions: Execution[]) => {
    const actions = await store().listActions();
    const everything = [
      ...ctx.logs,
      ...executions.map((e) => JSON.stringify(e)),
      ...ctx.receiver.bodies,
      JSON.stringify(actions),
    ].join('\n');
    expect(everything).toContain(ctx.key);
    expect(everything).not.toContain('CANARY');
    expect(everything).not.toContain('wJalrXUtnFEMI');
  };

  /** Runs a task with TABLE_NAME pointing at a table that does not exist: the store fails for good. */
  const withoutTable =
    (step: string, inner: Wrap = (_, t) => t): Wrap =>
    (name, task) =>
      name === step
        ? async (input) => {
            const tableName = process.env.TABLE_NAME;
            process.env.TABLE_NAME = 'no-such-table';
            try {
              return await inner(name, task)(input);
            } finally {
              process.env.TABLE_NAME = tableName;
            }
          }
        : inner(name, task);

  return { ctx, run, store, expectNoSecret, withoutTable };
};

export const states = (execution: Execution) => execution.history.map((h) => h.state);
