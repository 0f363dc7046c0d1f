export { DynamoStore, type DynamoStoreOptions } from './dynamodb-store';
export {
  type CreatedTable,
  cloudFormationTableProperties,
  createTable,
  DUE_INDEX,
  TABLE_DEFINITION,
  TTL_ATTRIBUTE,
} from './table';
