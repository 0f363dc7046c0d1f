/** The watch scenarios on the Lambda's store: DynamoDB (dynalite, through the real SDK). */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { createTable, DynamoStore } from '../../src/store/dynamodb';
import { type LocalDynamo, startDynalite } from '../store/dynalite-server';
import { watchScenarios } from './scenarios';

let local: LocalDynamo;
let tables = 0;

beforeAll(async () => {
  local = await startDynalite();
});
afterAll(async () => {
  await local?.stop();
});

watchScenarios('DynamoDB (dynalite)', async () => {
  const tableName = `keywarden-watch-${++tables}`;
  const admin = local.client();
  const created = await createTable(admin, tableName, { maxWaitSeconds: 10 });
  if (!created.ok) throw new Error(created.reason);
  const store = new DynamoStore({ client: local.client(), tableName, pageSize: 25 });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await admin.send(new DeleteTableCommand({ TableName: tableName }));
    },
  };
});
