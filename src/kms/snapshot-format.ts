/**
 * `keywarden.snapshot/v1`: one file per key, each value as `aws kms <command> --output json` prints it (pages
 * merged), or `{"error": {"code", "message"}}` when the call failed. Users can build snapshots with the AWS CLI
 * alone; the AWS collector writes exactly this shape, and `snapshot export` too. See docs/snapshot-format.md.
 */
export const SNAPSHOT_FORMAT = 'keywarden.snapshot/v1';

export interface ApiError {
  error: { code: string; message: string };
}

export type ApiResult<T> = T | ApiError;

export interface RawSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  account: string;
  region: string;
  /** ISO time the snapshot was taken (optional in hand-made files). */
  collectedAt?: string;
  DescribeKey: ApiResult<{ KeyMetadata: Record<string, unknown> }>;
  /** `Policy` is the policy as the API's JSON string. */
  GetKeyPolicy?: ApiResult<{ Policy: string; PolicyName?: string }>;
  ListGrants?: ApiResult<{ Grants: Array<Record<string, unknown>> }>;
  ListAliases?: ApiResult<{ Aliases: Array<{ AliasName: string; AliasArn?: string; TargetKeyId?: string }> }>;
  ListResourceTags?: ApiResult<{ Tags: Array<{ TagKey: string; TagValue: string }> }>;
  /** Absent where the key type does not support rotation (asymmetric, HMAC, imported material, custom key store). */
  GetKeyRotationStatus?: ApiResult<{ KeyRotationEnabled: boolean; [k: string]: unknown }>;
}

export const isApiError = (x: unknown): x is ApiError =>
  typeof x === 'object' && x !== null && 'error' in x && typeof (x as ApiError).error === 'object';
