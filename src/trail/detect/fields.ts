/**
 * Facts read off one CloudTrail record, each defined once: who acted, from which account, on which KMS keys,
 * whether the call failed.
 */
import type { CloudTrailEvent, TrailResource } from './event';

export const KMS_SOURCE = 'kms.amazonaws.com';
export const STS_SOURCE = 'sts.amazonaws.com';

/** The KMS operations that use a key's material (the "cryptographic operations" of the KMS developer guide). */
export const KMS_CRYPTO_OPERATIONS: ReadonlySet<string> = new Set([
  'Encrypt',
  'Decrypt',
  'ReEncrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'Sign',
  'Verify',
  'GenerateMac',
  'VerifyMac',
  'DeriveSharedSecret',
]);

export const isFailed = (event: CloudTrailEvent): boolean =>
  typeof event.errorCode === 'string' && event.errorCode !== '';

export const isKmsEvent = (event: CloudTrailEvent): boolean => event.eventSource === KMS_SOURCE;

/**
 * The principal that acted, as the ransom pattern and the reports group it: the role behind a session
 * (`userIdentity.sessionContext.sessionIssuer.arn`) when there is one, else `userIdentity.arn`, else the principal id,
 * else the service that invoked the call.
 */
export const actingPrincipal = (event: CloudTrailEvent): string => {
  const identity = event.userIdentity;
  const issuer = identity?.sessionContext?.sessionIssuer?.arn;
  if (issuer) return issuer;
  if (identity?.arn) return identity.arn;
  if (identity?.principalId) {
    return identity.accountId ? `${identity.accountId}:${identity.principalId}` : identity.principalId;
  }
  if (identity?.invokedBy) return identity.invokedBy;
  return identity?.type ? `unknown ${identity.type}` : 'unknown';
};

/** The principal exactly as it called (the session ARN for a role session). */
export const callerArn = (event: CloudTrailEvent): string =>
  event.userIdentity?.arn ?? event.userIdentity?.principalId ?? actingPrincipal(event);

/** The 12-digit account of an ARN (`arn:partition:service:region:account:resource`), or undefined. */
export const accountOfArn = (arn: string): string | undefined => {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return /^\d{12}$/.test(parts[4] ?? '') ? parts[4] : undefined;
};

export const regionOfArn = (arn: string): string | undefined => {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' && parts[3] ? parts[3] : undefined;
};

/** The account the caller belongs to. */
export const callerAccount = (event: CloudTrailEvent): string | undefined => {
  const identity = event.userIdentity;
  if (identity?.accountId) return identity.accountId;
  return identity?.arn ? accountOfArn(identity.arn) : undefined;
};

export const resourceArn = (resource: TrailResource): string | undefined => resource.ARN ?? resource.arn ?? undefined;

const KEY_ARN = /^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export const isKeyArn = (value: string): boolean => KEY_ARN.test(value);

/** The key id of a key ARN or a bare key id (`1234abcd-...` or `mrk-...`), else undefined. */
export const keyIdOf = (value: string): string | undefined => {
  if (isKeyArn(value)) return value.slice(value.indexOf(':key/') + 5);
  return KEY_ID.test(value) ? value : undefined;
};

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Request parameters that name a key, per KMS operation (ReEncrypt names two). */
const KEY_PARAMETERS = ['keyId', 'sourceKeyId', 'destinationKeyId', 'targetKeyId', 'primaryKeyArn'];

/**
 * The ARNs of the KMS keys an event touches: `resources[]` of type AWS::KMS::Key first (CloudTrail's own answer),
 * then key ARNs in the request and response; a bare key id is resolved in the caller's account and the event's
 * region (KMS resolves it there). Aliases cannot be resolved from one event and are left out.
 */
export const keyArnsOf = (event: CloudTrailEvent): string[] => {
  const found = new Set<string>();
  for (const resource of event.resources ?? []) {
    const arn = resourceArn(resource);
    if (arn && (resource.type === 'AWS::KMS::Key' || isKeyArn(arn))) found.add(arn);
  }
  if (found.size > 0) return [...found];
  const request = event.requestParameters ?? {};
  const response = event.responseElements ?? {};
  const candidates = [
    ...KEY_PARAMETERS.map((name) => str(request[name])),
    str(response.keyId),
    str((response.keyMetadata as Record<string, unknown> | undefined)?.arn),
  ];
  const account = callerAccount(event) ?? event.recipientAccountId ?? undefined;
  const partition = event.userIdentity?.arn?.split(':')[1] || 'aws';
  for (const candidate of candidates) {
    if (!candidate) continue;
    if (isKeyArn(candidate)) found.add(candidate);
    else if (KEY_ID.test(candidate) && account && event.awsRegion) {
      found.add(`arn:${partition}:kms:${event.awsRegion}:${account}:key/${candidate}`);
    }
  }
  return [...found];
};

/** The account that owns a key ARN. */
export const keyAccountOf = (keyArn: string): string | undefined => accountOfArn(keyArn);
