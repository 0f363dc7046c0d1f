/**
 * The key as the watch analyses it (pure): each field from AWS when the read worked, else from the last stored
 * snapshot, else unknown with the reason; then what the event did on top (the policy it set, the grant it added,
 * the state it changed). The result is a `keywarden.snapshot/v1` record, so it is stored and read like any other.
 */
import { type ApiError, isApiError, type RawSnapshot, SNAPSHOT_FORMAT } from '../kms/snapshot-format';
import type { EventEffect, EventGrant } from './watch-events';
import { whereIs } from './watch-events';

/** The calls a snapshot records, in the order a reader expects them. */
export const SNAPSHOT_CALLS = [
  'DescribeKey',
  'GetKeyPolicy',
  'ListGrants',
  'ListAliases',
  'ListResourceTags',
  'GetKeyRotationStatus',
] as const;
export type SnapshotCall = (typeof SNAPSHOT_CALLS)[number];

export type FieldBasis = 'aws' | 'store' | 'event' | 'unknown' | 'not applicable';

/** A call to AWS that failed while reading the key. */
export interface FailedCall {
  call: string;
  code: string;
  message: string;
}

/** The watch reads one key's own calls; the region-wide alias list is not read (aliases come from the store). */
export const ALIASES_NOT_READ: ApiError = {
  error: {
    code: 'NotRead',
    message: 'the watch reads one key and not the region-wide alias list; aliases come from the last scan',
  },
};

export interface SnapshotSources {
  keyArn: string;
  /** The key read from AWS now; undefined when not read (offline). */
  fetched?: RawSnapshot;
  /** Why the key was not read at all, when it was not. */
  notFetched?: string;
  /** The store's latest snapshot of the key and the time it describes. */
  stored?: { snapshot: RawSnapshot; asOf: string };
}

export interface BuiltSnapshot {
  raw: RawSnapshot;
  basis: Record<SnapshotCall, FieldBasis>;
  failedCalls: FailedCall[];
  /** True when every call to AWS failed (unreachable, no credentials): the event alone is what we know. */
  awsUnreachable: boolean;
  /** A grant the event added while the key's grants are unknown: analysed on its own. */
  unlistedGrant?: EventGrant;
  notes: string[];
}

type Field = RawSnapshot[SnapshotCall];
const ok = (value: Field): boolean => value !== undefined && !isApiError(value);

/** The failed calls of a fetched record (the alias list the watch never reads is not a failure). */
export function failedCallsOf(fetched: RawSnapshot | undefined): FailedCall[] {
  if (!fetched) return [];
  return SNAPSHOT_CALLS.flatMap((call) => {
    const value = fetched[call];
    if (value === undefined || !isApiError(value) || value === ALIASES_NOT_READ) return [];
    if (call === 'ListAliases' && value.error.code === ALIASES_NOT_READ.error.code) return [];
    return [{ call, code: value.error.code, message: value.error.message }];
  });
}

function pick(call: SnapshotCall, sources: SnapshotSources, notes: string[]): { value: Field; basis: FieldBasis } {
  const fetched = sources.fetched?.[call];
  if (ok(fetched)) return { value: fetched, basis: 'aws' };
  // Rotation is absent where the key type has no rotation: that is an answer, not a gap.
  if (call === 'GetKeyRotationStatus' && sources.fetched && ok(sources.fetched.DescribeKey) && fetched === undefined) {
    return { value: undefined, basis: 'not applicable' };
  }
  const stored = sources.stored?.snapshot[call];
  if (ok(stored)) {
    if (call !== 'ListAliases') {
      const why =
        fetched && isApiError(fetched) ? `AWS answered ${fetched.error.code}` : (sources.notFetched ?? 'not read');
      notes.push(`${call} is from the snapshot stored at ${sources.stored?.asOf} (${why})`);
    }
    return { value: stored, basis: 'store' };
  }
  if (fetched !== undefined) return { value: fetched, basis: 'unknown' };
  if (call === 'ListAliases') return { value: ALIASES_NOT_READ, basis: 'unknown' };
  return {
    value: { error: { code: 'NotRead', message: sources.notFetched ?? 'the key was not read from AWS' } },
    basis: 'unknown',
  };
}

type Metadata = Record<string, unknown>;
const metadataOf = (raw: RawSnapshot): Metadata | undefined =>
  ok(raw.DescribeKey) ? (raw.DescribeKey as { KeyMetadata: Metadata }).KeyMetadata : undefined;

function applyNewKey(raw: RawSnapshot, basis: BuiltSnapshot['basis'], effect: EventEffect, keyArn: string): void {
  const created = effect.newKey;
  if (!created) return;
  const { keyId } = whereIs(keyArn);
  if (basis.DescribeKey !== 'aws' && created.metadata) {
    raw.DescribeKey = { KeyMetadata: { KeyId: keyId, Arn: keyArn, ...created.metadata } };
    basis.DescribeKey = 'event';
  }
  if (basis.ListGrants !== 'aws') {
    raw.ListGrants = { Grants: [] };
    basis.ListGrants = 'event';
  }
  if (basis.ListAliases === 'unknown') {
    raw.ListAliases = { Aliases: [] };
    basis.ListAliases = 'event';
  }
  if (basis.ListResourceTags !== 'aws') {
    raw.ListResourceTags = { Tags: created.tags ?? [] };
    basis.ListResourceTags = 'event';
  }
}

function applyGrants(raw: RawSnapshot, basis: BuiltSnapshot['basis'], effect: EventEffect): EventGrant | undefined {
  if (!effect.grantAdded && (effect.grantRemoved === undefined || effect.grantRemoved === 'unknown')) return undefined;
  if (!ok(raw.ListGrants)) return effect.grantAdded;
  let grants = [...(raw.ListGrants as { Grants: Array<Record<string, unknown>> }).Grants];
  if (effect.grantRemoved !== undefined && effect.grantRemoved !== 'unknown') {
    grants = grants.filter((g) => g.GrantId !== effect.grantRemoved);
  }
  const added = effect.grantAdded;
  if (added) grants = [...grants.filter((g) => g.GrantId !== added.GrantId), added];
  raw.ListGrants = { Grants: grants };
  basis.ListGrants = 'event';
  return undefined;
}

function applyAliases(raw: RawSnapshot, basis: BuiltSnapshot['basis'], effect: EventEffect, keyArn: string): void {
  if ((!effect.aliasAdded && !effect.aliasRemoved) || !ok(raw.ListAliases)) return;
  const { keyId } = whereIs(keyArn);
  let aliases = [...(raw.ListAliases as { Aliases: Array<{ AliasName: string }> }).Aliases];
  if (effect.aliasRemoved) aliases = aliases.filter((a) => a.AliasName !== effect.aliasRemoved);
  if (effect.aliasAdded && !aliases.some((a) => a.AliasName === effect.aliasAdded)) {
    aliases.push({ AliasName: effect.aliasAdded, TargetKeyId: keyId } as { AliasName: string });
  }
  raw.ListAliases = { Aliases: aliases };
  basis.ListAliases = 'event';
}

/** The key as of the event: the freshest reading of every field, with the event's own changes on top. */
export function buildSnapshot(sources: SnapshotSources, effect: EventEffect, now: string): BuiltSnapshot {
  const { keyArn } = sources;
  const { account, region } = whereIs(keyArn);
  const notes = [...effect.notes];
  const basis = {} as BuiltSnapshot['basis'];
  const raw: RawSnapshot = {
    format: SNAPSHOT_FORMAT,
    account,
    region,
    collectedAt: now,
    DescribeKey: { error: { code: 'NotRead', message: 'not read' } },
  };
  for (const call of SNAPSHOT_CALLS) {
    const { value, basis: from } = pick(call, sources, notes);
    basis[call] = from;
    if (value !== undefined) (raw as unknown as Record<string, unknown>)[call] = value;
    else delete (raw as unknown as Record<string, unknown>)[call];
  }

  applyNewKey(raw, basis, effect, keyArn);
  if (effect.policy) {
    raw.GetKeyPolicy = { Policy: effect.policy.text, PolicyName: 'default' };
    basis.GetKeyPolicy = 'event';
  }
  const metadata = metadataOf(raw);
  if (effect.metadata && metadata) {
    const patched: Metadata = { ...metadata, ...effect.metadata };
    for (const [name, value] of Object.entries(effect.metadata)) if (value === undefined) delete patched[name];
    raw.DescribeKey = { KeyMetadata: patched as { KeyId: string } };
    basis.DescribeKey = 'event';
  }
  const unlistedGrant = applyGrants(raw, basis, effect);
  if (effect.rotation !== undefined) {
    raw.GetKeyRotationStatus = { KeyRotationEnabled: effect.rotation };
    basis.GetKeyRotationStatus = 'event';
  }
  applyAliases(raw, basis, effect, keyArn);

  const failedCalls = failedCallsOf(sources.fetched);
  const readCalls = SNAPSHOT_CALLS.filter((call) => call !== 'ListAliases' && sources.fetched?.[call] !== undefined);
  const awsUnreachable = readCalls.length > 0 && failedCalls.length >= readCalls.length;
  return { raw, basis, failedCalls, awsUnreachable, ...(unlistedGrant ? { unlistedGrant } : {}), notes };
}
