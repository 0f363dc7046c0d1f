// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are literal ${...} text
import fc from 'fast-check';

/**
 * fast-check generators of valid key policies covering the whole grammar (every element form, every operator
 * family, IfExists and set operators, template placeholders). mutations.ts breaks them.
 */

export const ACCOUNTS = ['111122223333', '444455556666', '999988887777'] as const;
const account = fc.constantFrom(...ACCOUNTS);
const partition = fc.constantFrom('aws', 'aws', 'aws', 'aws-cn', 'aws-us-gov');

const awsEntry = fc.oneof(
  account,
  fc.tuple(partition, account).map(([p, a]) => `arn:${p}:iam::${a}:root`),
  fc.tuple(account, fc.constantFrom('alice', 'bob', 'dev/carol')).map(([a, u]) => `arn:aws:iam::${a}:user/${u}`),
  fc.tuple(account, fc.constantFrom('Admin', 'App', 'ops/Deploy')).map(([a, r]) => `arn:aws:iam::${a}:role/${r}`),
  fc.tuple(account, fc.constantFrom('Admin', 'App')).map(([a, r]) => `arn:aws:sts::${a}:assumed-role/${r}/s1`),
  fc.constant('*'),
  fc.constant('arn:aws:iam::{{AWS::AccountId}}:root'),
);

const service = fc.constantFrom('cloudtrail.amazonaws.com', 'logs.us-east-1.amazonaws.com', 'rds.amazonaws.com.cn');

export function oneOrMany<T>(arb: fc.Arbitrary<T>, max = 3): fc.Arbitrary<T | T[]> {
  return fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: max }));
}

const principal = fc.oneof(
  fc.constant('*' as unknown),
  fc.record({ AWS: oneOrMany(awsEntry) }),
  fc.record({ Service: oneOrMany(service) }),
  fc.record({ AWS: oneOrMany(awsEntry), Service: oneOrMany(service) }, { requiredKeys: ['AWS'] }),
  fc.record({ Federated: fc.constant('cognito-identity.amazonaws.com') }),
  fc.record({ CanonicalUser: fc.constant('79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be') }),
);

export const KMS_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:ReEncryptFrom',
  'kms:GenerateDataKey',
  'kms:CreateGrant',
  'kms:DescribeKey',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
] as const;

const actionPattern = fc.oneof(
  fc.constantFrom(...KMS_ACTIONS),
  fc.constantFrom('kms:*', '*', 'kms:Create*', 'kms:GenerateDataKey*', 'kms:?ecrypt', 'kms:Re*', 'KMS:decrypt'),
);

const resource = fc.constantFrom('*', 'arn:aws:kms:*:111122223333:key/*', '{{Ref:Key}}');

/** Condition keys and values by operator family (values of the right type). */
const conditionByFamily: Record<string, fc.Arbitrary<[string, unknown]>> = {
  String: fc.tuple(
    fc.constantFrom('kms:ViaService', 'aws:PrincipalOrgID', 'kms:EncryptionContext:Department', 'aws:username'),
    oneOrMany(
      fc.constantFrom('s3.us-east-1.amazonaws.com', 'o-abc123', 'Finance', '*.amazonaws.com', '${aws:username}'),
    ),
  ),
  Numeric: fc.tuple(
    fc.constant('test:count'),
    oneOrMany(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant('2.5'))),
  ),
  Date: fc.tuple(fc.constant('aws:CurrentTime'), oneOrMany(fc.constantFrom('2024-05-01T00:00:00Z', '1714521600'))),
  Bool: fc.tuple(
    fc.constantFrom('aws:SecureTransport', 'kms:GrantIsForAWSResource'),
    fc.oneof(fc.boolean(), fc.constant('true')),
  ),
  Binary: fc.tuple(fc.constant('test:bin'), fc.constant('QmluYXJ5VmFsdWU=')),
  IpAddress: fc.tuple(
    fc.constant('aws:SourceIp'),
    oneOrMany(fc.constantFrom('203.0.113.0/24', '2001:db8::/32', '198.51.100.7')),
  ),
  Arn: fc.tuple(
    fc.constant('aws:PrincipalArn'),
    oneOrMany(fc.constantFrom('arn:aws:iam::111122223333:role/*', 'arn:aws:iam::*:role/Admin')),
  ),
  Null: fc.tuple(
    fc.constantFrom('kms:EncryptionContextKeys', 'aws:SourceVpce'),
    fc.constantFrom('true', 'false', true),
  ),
};

const OPERATORS: [string, string][] = [
  ['StringEquals', 'String'],
  ['StringNotEquals', 'String'],
  ['StringEqualsIgnoreCase', 'String'],
  ['StringNotEqualsIgnoreCase', 'String'],
  ['StringLike', 'String'],
  ['StringNotLike', 'String'],
  ['NumericEquals', 'Numeric'],
  ['NumericNotEquals', 'Numeric'],
  ['NumericLessThan', 'Numeric'],
  ['NumericGreaterThanEquals', 'Numeric'],
  ['DateEquals', 'Date'],
  ['DateLessThan', 'Date'],
  ['DateGreaterThan', 'Date'],
  ['Bool', 'Bool'],
  ['BinaryEquals', 'Binary'],
  ['IpAddress', 'IpAddress'],
  ['NotIpAddress', 'IpAddress'],
  ['ArnEquals', 'Arn'],
  ['ArnLike', 'Arn'],
  ['ArnNotLike', 'Arn'],
  ['Null', 'Null'],
];

const conditionEntry = fc
  .tuple(fc.constantFrom(...OPERATORS), fc.constantFrom('', 'ForAnyValue:', 'ForAllValues:'), fc.boolean())
  .chain(([[name, family], qualifier, ifExists]) => {
    const operator = family === 'Null' ? name : `${qualifier}${name}${ifExists ? 'IfExists' : ''}`;
    return conditionByFamily[family]!.map(([key, value]) => [operator, { [key]: value }] as const);
  });

const conditionBlock = fc
  .array(conditionEntry, { minLength: 1, maxLength: 3 })
  .map((entries) => Object.fromEntries(entries));

/** A valid statement: every element form the grammar allows. */
export const validStatement = fc
  .record(
    {
      Sid: fc.constantFrom('Root', 'Enable IAM User Permissions', 'Use', 'Endgame'),
      Effect: fc.constantFrom('Allow', 'Deny'),
      principalKind: fc.constantFrom('Principal', 'Principal', 'Principal', 'NotPrincipal'),
      principal,
      actionKind: fc.constantFrom('Action', 'Action', 'Action', 'NotAction'),
      actions: oneOrMany(actionPattern),
      resourceKind: fc.constantFrom('Resource', 'Resource', 'NotResource'),
      resource: oneOrMany(resource, 2),
      Condition: conditionBlock,
    },
    { requiredKeys: ['Effect', 'principalKind', 'principal', 'actionKind', 'actions', 'resourceKind', 'resource'] },
  )
  .map(({ principalKind, principal: p, actionKind, actions, resourceKind, resource: r, ...rest }) => ({
    ...rest,
    [principalKind]: p,
    [actionKind]: actions,
    [resourceKind]: r,
  }));

/** A valid key policy document. */
export const validPolicy = fc
  .record(
    {
      Version: fc.constantFrom('2012-10-17', '2008-10-17'),
      Id: fc.constant('key-policy'),
      Statement: fc.oneof(validStatement, fc.array(validStatement, { minLength: 0, maxLength: 5 })),
    },
    { requiredKeys: ['Statement'] },
  )
  .map((p) => p as Record<string, unknown>);
