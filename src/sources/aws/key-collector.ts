/**
 * One key: DescribeKey, GetKeyPolicy, ListGrants (every page), ListResourceTags (every page) and, where the key
 * type supports rotation, GetKeyRotationStatus. Each result is recorded as the AWS CLI prints it, or as
 * `{error}`; a key is never dropped.
 */
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  type KMSClient,
  ListGrantsCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import {
  type ApiError,
  type ApiResult,
  isApiError,
  type RawSnapshot,
  SNAPSHOT_FORMAT,
} from '../../kms/snapshot-format';
import { cliOutput, mergedPages } from './cli-json';
import { toApiError } from './errors';
import type { KmsReadApi, RegionPacer } from './pacing';
import type { CollectedKey, KeyManagerLabel } from './types';

/** What a key's collection needs from its account-region. */
export interface RegionContext {
  account: string;
  region: string;
  partition: string;
  kms: KMSClient;
  pacer: RegionPacer;
  /** Bounds the requests in flight below the SDK's 50 sockets per client, so paced requests leave at once. */
  inFlight: <T>(send: () => Promise<T>) => Promise<T>;
}

/** Requests in flight per account-region: under the SDK's default of 50 sockets per client. */
export const MAX_REQUESTS_IN_FLIGHT = 40;

export interface ListedKey {
  KeyId?: string;
  KeyArn?: string;
}

export type Alias = { AliasName: string; AliasArn?: string; TargetKeyId?: string; [k: string]: unknown };
/** The region's aliases by target key id, or the error of the region's ListAliases. */
export type AliasIndex = Map<string, Alias[]> | ApiError;

type Paged = { NextMarker?: string; Truncated?: boolean };

const MAX_PAGES = 10_000;

/**
 * Sends one request at its API's pace. The in-flight slot is taken before the token: a request that waited for
 * its token then finds a free socket at once, instead of queueing in the HTTP agent and leaving in a burst.
 */
export function paced<T>(ctx: RegionContext, api: KmsReadApi, send: () => Promise<T>): Promise<T> {
  return ctx.inFlight(async () => {
    await ctx.pacer.take(api);
    return send();
  });
}

/** Reads every page of a KMS list call (Marker / NextMarker / Truncated). */
export async function allPages<P extends Paged>(fetch: (marker: string | undefined) => Promise<P>): Promise<P[]> {
  const pages: P[] = [];
  let marker: string | undefined;
  do {
    let page: P;
    try {
      page = await fetch(marker);
    } catch (err) {
      if (pages.length > 0 && err instanceof Error) {
        err.message = `${err.message} (on page ${pages.length + 1}; the ${pages.length} page(s) read before are discarded)`;
      }
      throw err;
    }
    pages.push(page);
    marker = page.Truncated && page.NextMarker ? page.NextMarker : undefined;
  } while (marker && pages.length < MAX_PAGES);
  return pages;
}

async function attempt<T>(read: () => Promise<T>): Promise<ApiResult<T>> {
  try {
    return await read();
  } catch (err) {
    return toApiError(err);
  }
}

/** Rotation applies to symmetric encryption keys with KMS-generated material; undefined when we cannot tell. */
export function rotationSupported(metadata: Record<string, unknown> | undefined): boolean | undefined {
  if (!metadata) return undefined;
  const spec = metadata.KeySpec ?? metadata.CustomerMasterKeySpec;
  const origin = metadata.Origin;
  if (typeof spec !== 'string' || typeof origin !== 'string') return undefined;
  return spec === 'SYMMETRIC_DEFAULT' && origin === 'AWS_KMS';
}

function aliasesOf(index: AliasIndex, keyId: string | undefined): RawSnapshot['ListAliases'] {
  if (!(index instanceof Map)) return index;
  return { Aliases: (keyId ? index.get(keyId) : undefined) ?? [] };
}

/**
 * AWS or CUSTOMER from DescribeKey; when DescribeKey failed, an `alias/aws/...` alias still tells an AWS managed
 * key (customers cannot create aliases under `alias/aws/`).
 */
function keyManagerOf(
  metadata: Record<string, unknown> | undefined,
  aliases: RawSnapshot['ListAliases'],
): KeyManagerLabel {
  const manager = metadata?.KeyManager;
  if (manager === 'AWS' || manager === 'CUSTOMER') return manager;
  if (aliases && !isApiError(aliases) && aliases.Aliases.some((a) => a.AliasName.startsWith('alias/aws/')))
    return 'AWS';
  return 'unknown';
}

const hasError = (raw: RawSnapshot): boolean =>
  [
    raw.DescribeKey,
    raw.GetKeyPolicy,
    raw.ListGrants,
    raw.ListAliases,
    raw.ListResourceTags,
    raw.GetKeyRotationStatus,
  ].some((field) => field !== undefined && isApiError(field));

export async function collectKey(
  ctx: RegionContext,
  key: ListedKey,
  /** The region's alias list, read once; awaited only when the key's own calls are done. */
  aliases: Promise<AliasIndex>,
): Promise<{ key: CollectedKey; withErrors: boolean }> {
  const KeyId = key.KeyArn ?? key.KeyId ?? '';
  const { kms } = ctx;
  const [describe, policy, grants, tags] = await Promise.all([
    attempt(async () =>
      cliOutput<{ KeyMetadata: Record<string, unknown> }>(
        await paced(ctx, 'DescribeKey', () => kms.send(new DescribeKeyCommand({ KeyId }))),
      ),
    ),
    attempt(async () =>
      cliOutput<{ Policy: string; PolicyName?: string }>(
        await paced(ctx, 'GetKeyPolicy', () => kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' }))),
      ),
    ),
    attempt(async () => {
      const pages = await allPages((Marker) =>
        paced(ctx, 'ListGrants', () =>
          kms.send(new ListGrantsCommand({ KeyId, Limit: 100, ...(Marker ? { Marker } : {}) })),
        ),
      );
      return mergedPages<{ Grants: Array<Record<string, unknown>> }>(pages, 'Grants');
    }),
    attempt(async () => {
      const pages = await allPages((Marker) =>
        paced(ctx, 'ListResourceTags', () =>
          kms.send(new ListResourceTagsCommand({ KeyId, Limit: 50, ...(Marker ? { Marker } : {}) })),
        ),
      );
      return mergedPages<{ Tags: Array<{ TagKey: string; TagValue: string }> }>(pages, 'Tags');
    }),
  ]);

  const metadata = isApiError(describe) ? undefined : describe.KeyMetadata;
  const raw: RawSnapshot = {
    format: SNAPSHOT_FORMAT,
    account: ctx.account,
    region: ctx.region,
    collectedAt: new Date().toISOString(),
    DescribeKey: describe,
    GetKeyPolicy: policy,
    ListGrants: grants,
    ListAliases: aliasesOf(await aliases, key.KeyId ?? (metadata?.KeyId as string | undefined)),
    ListResourceTags: tags,
  };
  // Where DescribeKey failed we cannot tell the key type: ask, and record whatever KMS answers.
  if (rotationSupported(metadata) !== false) {
    raw.GetKeyRotationStatus = await attempt(async () =>
      cliOutput<{ KeyRotationEnabled: boolean }>(
        await paced(ctx, 'GetKeyRotationStatus', () => kms.send(new GetKeyRotationStatusCommand({ KeyId }))),
      ),
    );
  }

  const keyManager = keyManagerOf(metadata, raw.ListAliases);
  const arn =
    key.KeyArn ??
    (metadata?.Arn as string | undefined) ??
    `arn:${ctx.partition}:kms:${ctx.region}:${ctx.account}:key/${key.KeyId ?? ''}`;
  return { key: { raw, arn, keyManager }, withErrors: hasError(raw) };
}
