import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { createTable, DynamoStore } from '../../src/store/dynamodb';
import { storeContract } from './contract';
import { type LocalDynamo, startDynalite } from './dynalite-server';

let local: LocalDynamo;
let tables = 0;

beforeAll(async () => {
  local = await startDynalite();
});

afterAll(async () => {
  await local?.stop();
});

storeContract('DynamoDB (dynalite)', async () => {
  const tableName = `keywarden-contract-${++tables}`;
  const admin = local.client();
  const created = await createTable(admin, tableName, { maxWaitSeconds: 10 });
  if (!created.ok) throw new Error(created.reason);
  return {
    // A small page size makes every listing cross several Query pages.
    open: async () => new DynamoStore({ client: local.client(), tableName, pageSize: 25 }),
    cleanup: async () => {
      await admin.send(new DeleteTableCommand({ TableName: tableName }));
    },
  };
});
