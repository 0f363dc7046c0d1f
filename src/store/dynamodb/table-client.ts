import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describeError, StoreError } from '../errors';
import { type Item, namesIn } from './attributes';

export interface ItemKey {
  pk: string;
  sk: string;
}

export interface Condition {
  /** Condition expression; `#name` stands for the attribute `name`. */
  condition: string;
  values?: Item;
}

export interface QueryInput {
  keyCondition: string;
  values: Item;
  filter?: string;
  indexName?: string;
  newestFirst?: boolean;
}

const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** One keywarden table: single-item reads and conditional writes, paginated queries, errors a user can act on. */
export class TableClient {
  constructor(
    readonly client: DynamoDBClient,
    readonly tableName: string,
    /** Items per Query page; DynamoDB's own 1 MB page when unset. */
    readonly pageSize?: number,
  ) {}

  private fail(operation: string, error: unknown): StoreError {
    const table = `DynamoDB table ${this.tableName}`;
    const name = error instanceof Error ? error.name : '';
    const message =
      name === 'ResourceNotFoundException'
        ? `${table} does not exist in this account and region: deploy deploy/template.yaml, create it with ` +
          `createTable(), or give keywarden the name of the table that exists`
        : name === 'AccessDeniedException'
          ? `${operation} on ${table} was refused: grant the role dynamodb:${operation} on the table and its indexes`
          : `${operation} on ${table} failed: ${describeError(error)}`;
    return new StoreError(message, this.tableName, { cause: error });
  }

  private keyOf = (key: ItemKey): Item => ({ pk: { S: key.pk }, sk: { S: key.sk } });

  async get(key: ItemKey): Promise<Item | undefined> {
    try {
      const output = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: this.keyOf(key), ConsistentRead: true }),
      );
      return output.Item;
    } catch (error) {
      throw this.fail('GetItem', error);
    }
  }

  /** Put; false when the condition did not hold (nothing was written). */
  async put(item: Item, condition?: Condition): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: condition?.condition,
          ExpressionAttributeNames: namesIn(condition?.condition),
          ExpressionAttributeValues: condition?.values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw this.fail('PutItem', error);
    }
  }

  /** Update; the item as written, or undefined when the condition did not hold. */
  async update(
    key: ItemKey,
    update: string,
    values: Item | undefined,
    condition?: Condition,
  ): Promise<Item | undefined> {
    const allValues = { ...values, ...condition?.values };
    try {
      const output = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.keyOf(key),
          UpdateExpression: update,
          ConditionExpression: condition?.condition,
          ExpressionAttributeNames: namesIn(update, condition?.condition),
          ExpressionAttributeValues: Object.keys(allValues).length > 0 ? allValues : undefined,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return output.Attributes ?? {};
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw this.fail('UpdateItem', error);
    }
  }

  /** Every item of a Query, page after page (LastEvaluatedKey), as the caller consumes them. */
  async *query(input: QueryInput): AsyncGenerator<Item> {
    let startKey: Item | undefined;
    do {
      const request: QueryCommandInput = {
        TableName: this.tableName,
        IndexName: input.indexName,
        KeyConditionExpression: input.keyCondition,
        FilterExpression: input.filter,
        ExpressionAttributeNames: namesIn(input.keyCondition, input.filter),
        ExpressionAttributeValues: input.values,
        ScanIndexForward: !input.newestFirst,
        ConsistentRead: input.indexName ? undefined : true,
        Limit: this.pageSize,
        ExclusiveStartKey: startKey,
      };
      let items: Item[];
      try {
        const output = await this.client.send(new QueryCommand(request));
        items = output.Items ?? [];
        startKey = output.LastEvaluatedKey;
      } catch (error) {
        throw this.fail('Query', error);
      }
      yield* items;
    } while (startKey);
  }
}
