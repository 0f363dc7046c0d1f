// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are literal ${...} text
/**
 * The condition keys of the differential model: for each, the operator families that apply, whether requests carry
 * several values, the policy values to draw from and the request values to test them with.
 */

/** The key's own account and an outside account. */
export const OWN = '111122223333';
export const OTHER = '444455556666';

export type Family = 'String' | 'Numeric' | 'Date' | 'Bool' | 'IpAddress' | 'Arn';

export interface KeyModel {
  key: string;
  families: Family[];
  multi: boolean;
  policyValues: string[];
  requestValues: string[];
}

export const KEYS: KeyModel[] = [
  {
    key: 'kms:ViaService',
    families: ['String'],
    multi: false,
    policyValues: [
      's3.us-east-1.amazonaws.com',
      'rds.us-east-1.amazonaws.com',
      '*.us-east-1.amazonaws.com',
      'S3.US-EAST-1.AMAZONAWS.COM',
      'ec2.?s-east-1.amazonaws.com',
    ],
    requestValues: ['s3.us-east-1.amazonaws.com', 'rds.us-east-1.amazonaws.com', 'ec2.us-east-1.amazonaws.com'],
  },
  {
    key: 'kms:CallerAccount',
    families: ['String'],
    multi: false,
    policyValues: [OWN, OTHER, '1111*', '${aws:PrincipalAccount}', "${aws:SourceAccount, '444455556666'}"],
    requestValues: [OWN, OTHER],
  },
  {
    key: 'aws:PrincipalAccount',
    families: ['String'],
    multi: false,
    policyValues: [OWN, OTHER],
    requestValues: [OWN, OTHER],
  },
  {
    key: 'aws:PrincipalOrgID',
    families: ['String'],
    multi: false,
    policyValues: ['o-abc123', 'o-xyz789', 'o-*'],
    requestValues: ['o-abc123', 'o-xyz789'],
  },
  {
    key: 'aws:SourceIp',
    families: ['IpAddress'],
    multi: false,
    policyValues: ['203.0.113.0/24', '198.51.100.7', '10.0.0.0/8', '2001:db8::/32', '2001:db8::5'],
    requestValues: ['203.0.113.9', '198.51.100.7', '10.1.2.3', '2001:db8::5', '192.0.2.1'],
  },
  {
    key: 'aws:SecureTransport',
    families: ['Bool'],
    multi: false,
    policyValues: ['true', 'false'],
    requestValues: ['true', 'false'],
  },
  {
    key: 'aws:CurrentTime',
    families: ['Date'],
    multi: false,
    policyValues: ['2024-05-01T00:00:00Z', '2025-01-01T12:00:00Z'],
    requestValues: ['2024-04-30T23:59:59Z', '2024-05-01T00:00:00Z', '2025-06-01T00:00:00Z'],
  },
  {
    key: 'aws:EpochTime',
    families: ['Date'],
    multi: false,
    policyValues: ['1714521600', '1735732800'],
    requestValues: ['1714521599', '1714521600', '1748736000'],
  },
  {
    key: 'aws:MultiFactorAuthAge',
    families: ['Numeric'],
    multi: false,
    policyValues: ['3600', '0', '86400', '1.5'],
    requestValues: ['100', '3600', '90000', '0'],
  },
  {
    key: 'aws:PrincipalArn',
    families: ['Arn', 'String'],
    multi: false,
    policyValues: [
      `arn:aws:iam::${OWN}:role/*`,
      'arn:aws:iam::*:user/alice',
      `arn:aws:sts::${OWN}:assumed-role/Admin/*`,
      `arn:aws:iam::${OWN}:user/alice`,
    ],
    requestValues: [
      `arn:aws:iam::${OWN}:user/alice`,
      `arn:aws:iam::${OWN}:role/Admin`,
      `arn:aws:iam::${OTHER}:user/eve`,
    ],
  },
  {
    key: 'aws:PrincipalOrgPaths',
    families: ['String'],
    multi: true,
    policyValues: ['o-abc123/r-ab12/ou-ab12-11111111/', 'o-abc123/*', 'o-xyz789/*'],
    requestValues: ['o-abc123/r-ab12/ou-ab12-11111111/', 'o-abc123/r-ab12/ou-ab12-22222222/', 'o-xyz789/r-cd34/'],
  },
  {
    key: 'kms:EncryptionContextKeys',
    families: ['String'],
    multi: true,
    policyValues: ['Department', 'Project', 'aws:*', 'dep*'],
    requestValues: ['Department', 'Project', 'aws:cloudtrail:arn', 'department'],
  },
];

export const OPERATORS: Record<Family, string[]> = {
  String: [
    'StringEquals',
    'StringNotEquals',
    'StringEqualsIgnoreCase',
    'StringNotEqualsIgnoreCase',
    'StringLike',
    'StringNotLike',
  ],
  Numeric: [
    'NumericEquals',
    'NumericNotEquals',
    'NumericLessThan',
    'NumericLessThanEquals',
    'NumericGreaterThan',
    'NumericGreaterThanEquals',
  ],
  Date: [
    'DateEquals',
    'DateNotEquals',
    'DateLessThan',
    'DateLessThanEquals',
    'DateGreaterThan',
    'DateGreaterThanEquals',
  ],
  Bool: ['Bool'],
  IpAddress: ['IpAddress', 'NotIpAddress'],
  Arn: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'],
};
