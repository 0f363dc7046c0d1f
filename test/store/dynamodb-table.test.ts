import { existsSync, readFileSync } from 'node:fs';
import { DescribeTableCommand, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { cloudFormationTableProperties, createTable, DynamoStore, TTL_ATTRIBUTE } from '../../src/store/dynamodb';
import { StoreError } from '../../src/store/errors';
import { type LocalDynamo, startDynalite } from './dynalite-server';
import { at } from './fixtures';

let local: LocalDynamo;
let client: DynamoDBClient;

beforeAll(async () => {
  local = await startDynalite();
  client = local.client();
});
afterAll(async () => local?.stop());

const item = async (tableName: string, pk: string, sk: string) =>
  (await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk }, sk: { S: sk } } }))).Item;

describe('createTable', () => {
  it('creates the single table as defined, and is safe to call again', async () => {
    const created = await createTable(client, 'keywarden-layout', { maxWaitSeconds: 10 });
    if (!created.ok) throw new Error(created.reason);
    // dynalite does not implement UpdateTimeToLive: the helper says so instead of failing.
    expect(created.value.timeToLive).toMatchObject({ ok: false, reason: expect.stringMatching(/TTL not enabled/) });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'keywarden-layout' }));
    expect(Table?.KeySchema).toEqual(cloudFormationTableProperties().KeySchema);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema, i.Projection])).toEqual(
      cloudFormationTableProperties().GlobalSecondaryIndexes.map((i) => [i.IndexName, i.KeySchema, i.Projection]),
    );
    expect((await createTable(client, 'keywarden-layout', { maxWaitSeconds: 10 })).ok).toBe(true);
  });

  it('stores expiry times as epoch seconds in the TTL attribute, and keeps the due index sparse', async () => {
    const tableName = 'keywarden-ttl';
    const created = await createTable(client, tableName, { maxWaitSeconds: 10 });
    if (!created.ok) throw new Error(created.reason);
    const store = new DynamoStore({ client, tableName });
    await store.markEventProcessed('evt-ttl', at(0));
    const event = await item(tableName, 'EVENT#evt-ttl', 'EVENT');
    expect(event?.[TTL_ATTRIBUTE]).toEqual({ N: String(Date.parse(at(30 * 24 * 60)) / 1000) });

    await store.enqueue({ id: 'msg-ttl', channel: 'sns', payload: { subject: 'x' } }, at(0));
    expect((await item(tableName, 'OUTBOX#msg-ttl', 'MESSAGE'))?.gsi1pk).toEqual({ S: 'OUTBOX' });
    await store.acknowledge('msg-ttl', at(1));
    const delivered = await item(tableName, 'OUTBOX#msg-ttl', 'MESSAGE');
    expect(delivered?.gsi1pk).toBeUndefined();
    expect(delivered?.[TTL_ATTRIBUTE]).toEqual({ N: String(Date.parse(at(1 + 30 * 24 * 60)) / 1000) });
  });

  it('turns a missing table into a StoreError that says how to create it', async () => {
    const store = new DynamoStore({ client, tableName: 'keywarden-missing' });
    const error = await store.markEventProcessed('evt', at(0)).catch((e) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toMatch(/keywarden-missing does not exist .*deploy\/template\.yaml.*createTable/);
  });
});

/** The SAM template (owned by the deploy work) must declare the same table; checked once it declares one. */
const templatePath = new URL('../../deploy/template.yaml', import.meta.url);
const templateTable = (): Record<string, unknown> | undefined => {
  if (!existsSync(templatePath)) return undefined;
  // CloudFormation's short-form tags (!Ref, !Sub...) only need to parse, not to resolve.
  const document = parseDocument(readFileSync(templatePath, 'utf8'), {
    customTags: [
      '!Ref',
      '!Sub',
      '!GetAtt',
      '!If',
      '!Equals',
      '!Not',
      '!And',
      '!Or',
      '!Join',
      '!Select',
      '!Split',
      '!FindInMap',
      '!ImportValue',
      '!GetAZs',
      '!Base64',
      '!Cidr',
      '!Condition',
    ].flatMap((tag) => [
      { tag, resolve: (value: unknown) => value },
      { tag, collection: 'seq' as const, resolve: (value: unknown) => value },
      { tag, collection: 'map' as const, resolve: (value: unknown) => value },
    ]),
  }).toJS() as { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };
  const tables = Object.values(document.Resources ?? {}).filter((r) => r.Type === 'AWS::DynamoDB::Table');
  return tables[0]?.Properties;
};

describe('deploy/template.yaml', () => {
  const table = templateTable();
  it.skipIf(!table)('declares the store table exactly as TABLE_DEFINITION (skipped until the template has one)', () => {
    const expected = cloudFormationTableProperties();
    expect(table).toMatchObject({
      BillingMode: expected.BillingMode,
      KeySchema: expected.KeySchema,
      AttributeDefinitions: expect.arrayContaining(expected.AttributeDefinitions),
      GlobalSecondaryIndexes: expected.GlobalSecondaryIndexes,
      TimeToLiveSpecification: expected.TimeToLiveSpecification,
    });
  });
});
