import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { type Known, known, unknown } from '../../kms/known';
import { describeError } from '../errors';

/** Attribute holding an item's expiry in epoch seconds; DynamoDB's TTL deletes the item some time after it. */
export const TTL_ATTRIBUTE = 'expiresAt';

/** Sparse index of outbox messages that are due or leased, ordered by that time. */
export const DUE_INDEX = 'gsi1';

/**
 * The single table, in CreateTable's shape. deploy/template.yaml declares the same table (see
 * `cloudFormationTableProperties`); test/store/table-definition.test.ts checks the two agree.
 */
export const TABLE_DEFINITION = {
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'gsi1pk', AttributeType: 'S' },
    { AttributeName: 'gsi1sk', AttributeType: 'S' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [
    {
      IndexName: DUE_INDEX,
      KeySchema: [
        { AttributeName: 'gsi1pk', KeyType: 'HASH' },
        { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
} as const satisfies Omit<CreateTableCommandInput, 'TableName'>;

/** The `Properties` of the `AWS::DynamoDB::Table` resource in deploy/template.yaml (TableName left to the stack). */
export const cloudFormationTableProperties = () => ({
  BillingMode: TABLE_DEFINITION.BillingMode,
  AttributeDefinitions: TABLE_DEFINITION.AttributeDefinitions.map((a) => ({ ...a })),
  KeySchema: TABLE_DEFINITION.KeySchema.map((k) => ({ ...k })),
  GlobalSecondaryIndexes: TABLE_DEFINITION.GlobalSecondaryIndexes.map((index) => ({
    IndexName: index.IndexName,
    KeySchema: index.KeySchema.map((k) => ({ ...k })),
    Projection: { ...index.Projection },
  })),
  TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
});

export interface CreatedTable {
  tableName: string;
  /** 'enabled', or why TTL could not be switched on (dynalite does not implement UpdateTimeToLive). */
  timeToLive: Known<'enabled'>;
}

/**
 * Create the table, wait until it is ACTIVE, and switch on TTL. For tests, local emulators and users without the
 * SAM stack; the deployed stack creates the same table from the template.
 */
export const createTable = async (
  client: DynamoDBClient,
  tableName: string,
  options: { maxWaitSeconds?: number } = {},
): Promise<Known<CreatedTable>> => {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        ...structuredClone(TABLE_DEFINITION),
      } as CreateTableCommandInput),
    );
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) {
      return unknown(`cannot create DynamoDB table ${tableName}: ${describeError(error)}`);
    }
  }
  try {
    await waitUntilTableExists(
      { client, maxWaitTime: options.maxWaitSeconds ?? 120, minDelay: 1, maxDelay: 5 },
      { TableName: tableName },
    );
  } catch (error) {
    return unknown(`DynamoDB table ${tableName} did not become ACTIVE: ${describeError(error)}`);
  }
  let timeToLive: Known<'enabled'> = known('enabled');
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
  } catch (error) {
    const already = error instanceof Error && /already enabled/i.test(error.message);
    if (!already) timeToLive = unknown(`TTL not enabled on ${tableName}: ${describeError(error)}`);
  }
  return known({ tableName, timeToLive });
};
