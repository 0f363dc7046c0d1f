/**
 * What one KMS CloudTrail event tells about its key, by itself (pure): which key it changed, the policy it set, the
 * grant it added or removed, the state, rotation or alias it changed. The watch applies this on top of the key as
 * read from AWS (or as last stored), so a change reverted a minute later is still analysed as it was made.
 */
import type { CloudTrailEvent } from '../trail/detect/event';
import { isFailed, isKeyArn, keyArnsOf, keyIdOf, regionOfArn } from '../trail/detect/fields';

/** The events the watch follows (the EventBridge rule of deploy/template.yaml lists the same names). */
export const WATCHED_EVENTS = [
  'PutKeyPolicy',
  'CreateGrant',
  'RevokeGrant',
  'RetireGrant',
  'CreateKey',
  'ReplicateKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
  'DisableKey',
  'EnableKey',
  'DisableKeyRotation',
  'ImportKeyMaterial',
  'DeleteImportedKeyMaterial',
  'CreateAlias',
  'UpdateAlias',
  'DeleteAlias',
] as const;

export type WatchedEventName = (typeof WATCHED_EVENTS)[number];

export const isWatchedEvent = (event: CloudTrailEvent): boolean =>
  event.eventSource === 'kms.amazonaws.com' && (WATCHED_EVENTS as readonly string[]).includes(event.eventName);

/** A grant as ListGrants returns it, rebuilt from a CreateGrant event. */
export type EventGrant = Record<string, unknown> & { GrantId: string; Operations: string[] };

export interface EventEffect {
  /** The key the event is about (ReplicateKey: the new replica). Undefined when the event does not say. */
  keyArn?: string;
  /** The key policy the event set (CreateKey, PutKeyPolicy, ReplicateKey), as text, and where it was read. */
  policy?: { text: string; from: string };
  /** CreateKey and ReplicateKey: a new key, so no grants and no aliases yet; its metadata as the response gave it. */
  newKey?: { metadata?: Record<string, unknown>; tags?: Array<{ TagKey: string; TagValue: string }> };
  /** Fields of DescribeKey's KeyMetadata the event changed. */
  metadata?: Record<string, unknown>;
  grantAdded?: EventGrant;
  /** The id of the grant revoked or retired; `unknown` when the event names it by token only. */
  grantRemoved?: string;
  rotation?: boolean;
  aliasAdded?: string;
  aliasRemoved?: string;
  /** What the event alone cannot tell, in the user's words. */
  notes: string[];
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const obj = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** CloudTrail writes KeyMetadata in camelCase (`keyState`, `aWSAccountId`); DescribeKey answers PascalCase. */
export function keyMetadataFromEvent(value: unknown): Record<string, unknown> | undefined {
  const m = obj(value);
  if (!m) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(m)) {
    const pascal = /^a[wW][sS]AccountId$/.test(name) ? 'AWSAccountId' : name[0]!.toUpperCase() + name.slice(1);
    out[pascal] = v;
  }
  return out;
}

/** The key ARN of an event: the replica for ReplicateKey, else CloudTrail's resources (only real key ARNs). */
export function keyArnOfEvent(event: CloudTrailEvent): string | undefined {
  const response = obj(event.responseElements) ?? {};
  if (event.eventName === 'ReplicateKey') {
    const replica = str(obj(response.replicaKeyMetadata)?.arn);
    if (replica && isKeyArn(replica)) return replica;
  }
  if (event.eventName === 'CreateKey') {
    const created = str(obj(response.keyMetadata)?.arn);
    if (created && isKeyArn(created)) return created;
  }
  return keyArnsOf(event).find(isKeyArn);
}

const policyOf = (event: CloudTrailEvent): EventEffect['policy'] => {
  const request = event.requestParameters ?? {};
  const response = obj(event.responseElements) ?? {};
  const raw = request.policy ?? (event.eventName === 'ReplicateKey' ? response.replicaPolicy : undefined);
  if (raw === undefined || raw === null) return undefined;
  const from = request.policy !== undefined ? 'requestParameters.policy' : 'responseElements.replicaPolicy';
  return { text: typeof raw === 'string' ? raw : JSON.stringify(raw), from };
};

const constraintsOf = (value: unknown): Record<string, unknown> | undefined => {
  const c = obj(value);
  if (!c) return undefined;
  const out: Record<string, unknown> = {};
  const subset = obj(c.encryptionContextSubset ?? c.EncryptionContextSubset);
  const equals = obj(c.encryptionContextEquals ?? c.EncryptionContextEquals);
  if (subset) out.EncryptionContextSubset = subset;
  if (equals) out.EncryptionContextEquals = equals;
  return Object.keys(out).length > 0 ? out : undefined;
};

function grantOf(event: CloudTrailEvent, keyArn: string | undefined): EventGrant {
  const request = event.requestParameters ?? {};
  const operations = Array.isArray(request.operations)
    ? request.operations.filter((o): o is string => typeof o === 'string')
    : [];
  const grant: EventGrant = {
    GrantId: str(obj(event.responseElements)?.grantId) ?? `event:${event.eventID ?? event.eventTime}`,
    Operations: operations,
    CreationDate: event.eventTime,
  };
  if (keyArn) grant.KeyId = keyArn;
  const name = str(request.name);
  if (name) grant.Name = name;
  const grantee = str(request.granteePrincipal);
  if (grantee) grant.GranteePrincipal = grantee;
  const retiring = str(request.retiringPrincipal);
  if (retiring) grant.RetiringPrincipal = retiring;
  const account = event.userIdentity?.accountId;
  if (account) grant.IssuingAccount = `arn:aws:iam::${account}:root`;
  const constraints = constraintsOf(request.constraints);
  if (constraints) grant.Constraints = constraints;
  return grant;
}

const tagsOf = (value: unknown): Array<{ TagKey: string; TagValue: string }> =>
  Array.isArray(value)
    ? value.flatMap((t) => {
        const tag = obj(t);
        const key = str(tag?.tagKey ?? tag?.TagKey);
        return key ? [{ TagKey: key, TagValue: String(tag?.tagValue ?? tag?.TagValue ?? '') }] : [];
      })
    : [];

/** What a successful event did to its key. A failed event changed nothing: its effect has only the key. */
export function effectOf(event: CloudTrailEvent): EventEffect {
  const keyArn = keyArnOfEvent(event);
  const effect: EventEffect = { notes: [], ...(keyArn ? { keyArn } : {}) };
  if (!keyArn) {
    effect.notes.push(
      `the event does not name a key ARN (${event.eventName} with ${JSON.stringify(event.requestParameters?.keyId ?? event.requestParameters?.aliasName ?? null)}): only a scan can tell which key it concerned`,
    );
  }
  if (isFailed(event)) return effect;
  const request = event.requestParameters ?? {};
  const response = obj(event.responseElements) ?? {};
  switch (event.eventName) {
    case 'PutKeyPolicy':
      effect.policy = policyOf(event);
      break;
    case 'CreateKey':
    case 'ReplicateKey': {
      effect.policy = policyOf(event);
      const metadata = keyMetadataFromEvent(
        event.eventName === 'CreateKey' ? response.keyMetadata : response.replicaKeyMetadata,
      );
      effect.newKey = { ...(metadata ? { metadata } : {}), tags: tagsOf(request.tags) };
      if (!effect.policy) effect.notes.push('the key got the default key policy, which the event does not show');
      break;
    }
    case 'CreateGrant':
      effect.grantAdded = grantOf(event, keyArn);
      break;
    case 'RevokeGrant':
    case 'RetireGrant': {
      const grantId = str(request.grantId);
      effect.grantRemoved = grantId ?? 'unknown';
      if (!grantId)
        effect.notes.push(`${event.eventName} names the grant by token: which grant ended is read from AWS`);
      break;
    }
    case 'ScheduleKeyDeletion':
      effect.metadata = { KeyState: 'PendingDeletion', Enabled: false };
      if (str(response.deletionDate)) effect.metadata.DeletionDate = response.deletionDate;
      break;
    case 'CancelKeyDeletion':
      effect.metadata = { KeyState: 'Disabled', Enabled: false, DeletionDate: undefined };
      break;
    case 'DisableKey':
      effect.metadata = { KeyState: 'Disabled', Enabled: false };
      break;
    case 'EnableKey':
      effect.metadata = { KeyState: 'Enabled', Enabled: true };
      break;
    case 'DisableKeyRotation':
      effect.rotation = false;
      break;
    case 'ImportKeyMaterial':
      effect.metadata = { KeyState: 'Enabled', Enabled: true };
      break;
    case 'DeleteImportedKeyMaterial':
      effect.metadata = { KeyState: 'PendingImport', Enabled: false };
      break;
    case 'CreateAlias':
    case 'UpdateAlias':
      effect.aliasAdded = str(request.aliasName);
      if (event.eventName === 'UpdateAlias') {
        effect.notes.push('UpdateAlias moved the alias from another key, which keeps the alias until it is read again');
      }
      break;
    case 'DeleteAlias':
      effect.aliasRemoved = str(request.aliasName);
      break;
  }
  return effect;
}

/**
 * A stand-in key ARN for analysing the policy of an event that names no key (report only, never stored): the
 * event's account, else the one account whose root the policy names, else 000000000000.
 */
export function standInKeyArn(event: CloudTrailEvent, policyText: string | undefined): string {
  const roots = new Set<string>();
  for (const match of (policyText ?? '').matchAll(/arn:aws[\w-]*:iam::(\d{12}):root/g)) roots.add(match[1]!);
  const account =
    event.recipientAccountId ?? event.userIdentity?.accountId ?? (roots.size === 1 ? [...roots][0] : undefined);
  const partition = event.userIdentity?.arn?.split(':')[1] || 'aws';
  return `arn:${partition}:kms:${event.awsRegion ?? 'unknown'}:${account ?? '000000000000'}:key/not-named-in-event`;
}

/** Region and account of a key ARN. */
export function whereIs(keyArn: string): { account: string; region: string; keyId: string } {
  const parts = keyArn.split(':');
  return { account: parts[4] ?? '', region: regionOfArn(keyArn) ?? '', keyId: keyIdOf(keyArn) ?? '' };
}
