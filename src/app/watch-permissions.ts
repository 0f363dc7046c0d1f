/**
 * The AWS actions the live watch and the reconciliation send, each listed once; the Lambda roles of
 * deploy/template.yaml grant exactly these (test/deploy), and test/watch/permissions.test.ts records the commands
 * the handlers really send and checks they are all here.
 */
/** The collector's per-key reads (src/sources/aws/key-collector.ts). */
export const KEY_READ_ACTIONS: readonly string[] = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:ListGrants',
  'kms:ListResourceTags',
  'kms:GetKeyRotationStatus',
];

/** The store on DynamoDB (docs/store.md): items, conditional writes, the outbox index. */
export const STORE_ACTIONS: readonly string[] = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:Query',
];

/** The alert channels that need IAM: SNS (the alerts topic) and EventBridge (`keywarden.finding` events). */
export const CHANNEL_ACTIONS: readonly string[] = ['sns:Publish', 'events:PutEvents'];

/** keywarden.yaml at ConfigLocation. */
export const CONFIG_ACTIONS: readonly string[] = ['s3:GetObject', 'ssm:GetParameter'];

const unique = (...lists: ReadonlyArray<readonly string[]>): readonly string[] => [...new Set(lists.flat())].sort();

/** The watch reads one key's own calls, never the region-wide alias list (aliases come from the store). */
export const WATCH_PERMISSIONS: readonly string[] = unique(
  KEY_READ_ACTIONS,
  STORE_ACTIONS,
  CHANNEL_ACTIONS,
  CONFIG_ACTIONS,
);

/** The reconciliation scans the account's keys like `scan --aws --region R`: the caller's identity, then the keys. */
export const RECONCILE_PERMISSIONS: readonly string[] = unique(WATCH_PERMISSIONS, [
  'sts:GetCallerIdentity',
  'kms:ListKeys',
  'kms:ListAliases',
]);
