/**
 * The IAM policies the response attaches: AWS's managed quarantine policy for compromised keys, and the
 * revoke-older-sessions deny the IAM console writes ("Revoke active sessions"), which makes every temporary
 * credential issued before a time useless while new sessions keep working.
 */

/**
 * AWS's managed quarantine policies, newest first. AWSCompromisedKeyQuarantineV4 (created 2026-11-06, default
 * version v2) is the current one; V3 (2024-08-21) is tried when V4 does not exist where the response runs (a
 * partition or an emulator that has not got it yet). Both deny the calls fraud uses (RunInstances, CreateUser,
 * CreateAccessKey, ...), not the user's existing resources.
 */
export const QUARANTINE_POLICY_NAMES: readonly string[] = [
  'AWSCompromisedKeyQuarantineV4',
  'AWSCompromisedKeyQuarantineV3',
];

export const quarantinePolicyArns = (partition: string): string[] =>
  QUARANTINE_POLICY_NAMES.map((name) => `arn:${partition}:iam::aws:policy/${name}`);

/** The inline policy name the IAM console gives its session revocation; reusing it keeps one such policy per role. */
export const REVOKE_SESSIONS_POLICY_NAME = 'AWSRevokeOlderSessions';

/** Denies everything to credentials issued before `cutoff` (ISO 8601, UTC): long-term keys are not affected. */
export const revokeOlderSessionsPolicy = (cutoff: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Action: ['*'],
        Resource: ['*'],
        Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff } },
      },
    ],
  });

/** `aws` unless the region is in China or GovCloud. */
export const partitionOf = (region: string | undefined): string =>
  region?.startsWith('cn-') ? 'aws-cn' : region?.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';

/** `arn:aws:iam::111122223333:role/path/Name` -> Name and account; undefined for anything else. */
export const roleOfArn = (arn: string): { account: string; name: string; path: string } | undefined => {
  const match = /^arn:[a-z-]+:iam::(\d{12}):role\/(.*\/)?([\w+=,.@-]+)$/.exec(arn);
  if (!match) return undefined;
  return { account: match[1] as string, path: `/${match[2] ?? ''}`, name: match[3] as string };
};
