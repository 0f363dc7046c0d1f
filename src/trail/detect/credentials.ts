/**
 * Temporary credentials an event minted: the access key id in `responseElements.credentials` of a successful
 * AssumeRole, GetSessionToken or GetFederationToken (and the SAML / web identity variants). Deactivating the key
 * that minted them does not revoke them. Only the access key id is read: the session token is never copied.
 */
import type { CloudTrailEvent } from './event';
import { callerArn, isFailed, STS_SOURCE } from './fields';

export const MINTING_CALLS: ReadonlySet<string> = new Set([
  'AssumeRole',
  'GetSessionToken',
  'GetFederationToken',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
]);

export interface MintedCredential {
  /** The temporary access key id (ASIA...). */
  accessKeyId: string;
  /** The access key that called, when the caller used one. */
  mintedBy?: string;
  caller: string;
  eventName: string;
  time: string;
  region?: string;
  /** The role assumed (AssumeRole*), when there is one. */
  roleArn?: string;
  /** The session principal the credentials act as. */
  actsAs?: string;
  expiration?: string;
  eventID?: string;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const obj = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

export const mintedCredential = (event: CloudTrailEvent): MintedCredential | undefined => {
  if (event.eventSource !== STS_SOURCE || !MINTING_CALLS.has(event.eventName) || isFailed(event)) return undefined;
  const credentials = obj(event.responseElements?.credentials);
  const accessKeyId = str(credentials?.accessKeyId);
  if (!accessKeyId) return undefined;
  const actsAs =
    str(obj(event.responseElements?.assumedRoleUser)?.arn) ?? str(obj(event.responseElements?.federatedUser)?.arn);
  const minted: MintedCredential = {
    accessKeyId,
    caller: callerArn(event),
    eventName: event.eventName,
    time: event.eventTime,
  };
  const mintedBy = str(event.userIdentity?.accessKeyId);
  if (mintedBy) minted.mintedBy = mintedBy;
  if (event.awsRegion) minted.region = event.awsRegion;
  const roleArn = str(event.requestParameters?.roleArn);
  if (roleArn) minted.roleArn = roleArn;
  if (actsAs) minted.actsAs = actsAs;
  const expiration = str(credentials?.expiration);
  if (expiration) minted.expiration = expiration;
  if (event.eventID) minted.eventID = event.eventID;
  return minted;
};
