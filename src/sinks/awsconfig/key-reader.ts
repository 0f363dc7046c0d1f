/**
 * Live reads of one key for the Config rule, recorded as keywarden.snapshot/v1 fields (`{error}` when a call
 * fails: an unreadable policy is data, judged NON_COMPLIANT, never a crash). Only the fields the configuration item
 * did not carry are read.
 */
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  type KMSClient,
  ListAliasesCommand,
  ListGrantsCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import type { RawSnapshot } from '../../kms/snapshot-format';
import { apiError, cliJson } from './aws-json';
import type { LiveField } from './item';

async function attempt<T>(read: () => Promise<T>): Promise<T | ReturnType<typeof apiError>> {
  try {
    return await read();
  } catch (error) {
    return apiError(error);
  }
}

type Page = { NextMarker?: string; Truncated?: boolean };

async function allPages(fetch: (marker?: string) => Promise<Page>, field: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let marker: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const out = await fetch(marker);
    items.push(...(((out as Record<string, unknown>)[field] as unknown[] | undefined) ?? []));
    marker = out.Truncated && out.NextMarker ? out.NextMarker : undefined;
    if (!marker) break;
  }
  return items;
}

/** Reads `fields` of the key `keyId` (id or ARN). */
export async function readKeyLive(
  kms: KMSClient,
  keyId: string,
  fields: readonly LiveField[],
): Promise<Partial<RawSnapshot>> {
  const out: Partial<RawSnapshot> = {};
  const wants = new Set(fields);
  await Promise.all([
    wants.has('DescribeKey') &&
      attempt(async () =>
        cliJson<{ KeyMetadata: Record<string, unknown> }>(await kms.send(new DescribeKeyCommand({ KeyId: keyId }))),
      ).then((r) => {
        out.DescribeKey = r;
      }),
    wants.has('GetKeyPolicy') &&
      attempt(async () =>
        cliJson<{ Policy: string; PolicyName?: string }>(
          await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' })),
        ),
      ).then((r) => {
        out.GetKeyPolicy = r;
      }),
    wants.has('ListGrants') &&
      attempt(async () => ({
        Grants: cliJson<Array<Record<string, unknown>>>(
          await allPages((Marker) => kms.send(new ListGrantsCommand({ KeyId: keyId, Limit: 100, Marker })), 'Grants'),
        ),
      })).then((r) => {
        out.ListGrants = r;
      }),
    wants.has('ListAliases') &&
      attempt(async () => ({
        Aliases: cliJson<Array<{ AliasName: string }>>(
          await allPages((Marker) => kms.send(new ListAliasesCommand({ KeyId: keyId, Limit: 100, Marker })), 'Aliases'),
        ),
      })).then((r) => {
        out.ListAliases = r;
      }),
    wants.has('ListResourceTags') &&
      attempt(async () => ({
        Tags: cliJson<Array<{ TagKey: string; TagValue: string }>>(
          await allPages(
            (Marker) => kms.send(new ListResourceTagsCommand({ KeyId: keyId, Limit: 50, Marker })),
            'Tags',
          ),
        ),
      })).then((r) => {
        out.ListResourceTags = r;
      }),
    wants.has('GetKeyRotationStatus') &&
      attempt(async () =>
        cliJson<{ KeyRotationEnabled: boolean }>(await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))),
      ).then((r) => {
        out.GetKeyRotationStatus = r;
      }),
  ]);
  return out;
}
