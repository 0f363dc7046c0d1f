/**
 * A configuration item of AWS::KMS::Key -> the parts of a keywarden.snapshot/v1 record it carries. Config records
 * DescribeKey's KeyMetadata in camelCase under `configuration`, the tags, and `supplementaryConfiguration.
 * KeyRotationStatus` (awslabs/aws-config-resource-schema, AWS::KMS::Key). It carries no key policy, grants or
 * aliases: those are read live. Also converts GetResourceConfigHistory's item (JSON strings, `arn`, `accountId`)
 * into the event's shape, as the AWS Config sample functions do.
 */
import type { RawSnapshot } from '../../kms/snapshot-format';
import type { ConfigurationItem } from './event';

export const KMS_KEY = 'AWS::KMS::Key';

/** The snapshot fields the rule can read live (each one KMS call, or pages of one). */
export type LiveField =
  | 'DescribeKey'
  | 'GetKeyPolicy'
  | 'ListGrants'
  | 'ListAliases'
  | 'ListResourceTags'
  | 'GetKeyRotationStatus';

/** Statuses of an item whose resource is gone or not recorded: evaluated NOT_APPLICABLE. */
export const GONE_STATUSES = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded', 'ResourceNotRecorded']);

/** `keyId` -> `KeyId`; `awsaccountId`/`awsAccountId` -> `AWSAccountId` (KeyMetadata's spelling). */
const pascal = (name: string): string =>
  /^awsaccountid$/i.test(name) ? 'AWSAccountId' : `${name.charAt(0).toUpperCase()}${name.slice(1)}`;

function keyMetadata(configuration: Record<string, unknown>): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(configuration)) {
    if (value === null || value === undefined) continue;
    metadata[pascal(name)] =
      value && typeof value === 'object' && !Array.isArray(value)
        ? keyMetadata(value as Record<string, unknown>)
        : value;
  }
  // Older items only have customerMasterKeySpec; KeySpec is the same value under its current name.
  if (metadata.KeySpec === undefined && metadata.CustomerMasterKeySpec !== undefined)
    metadata.KeySpec = metadata.CustomerMasterKeySpec;
  return metadata;
}

function rotation(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

/** A key policy the item may carry in supplementaryConfiguration (Policy or KeyPolicy), as the API's JSON string. */
function policyText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim().startsWith('{')) return value;
  if (value && typeof value === 'object') return JSON.stringify(value);
  return undefined;
}

/** The snapshot fields the item carries; the others (policy, grants, aliases) are left for the live read. */
export function snapshotFieldsOf(item: ConfigurationItem): Partial<RawSnapshot> {
  const fields: Partial<RawSnapshot> = {};
  if (item.configuration && typeof item.configuration.keyId === 'string')
    fields.DescribeKey = { KeyMetadata: keyMetadata(item.configuration) };
  if (item.tags)
    fields.ListResourceTags = { Tags: Object.entries(item.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) };
  const supplementary = item.supplementaryConfiguration ?? {};
  const rotationEnabled = rotation(supplementary.KeyRotationStatus);
  if (rotationEnabled !== undefined) fields.GetKeyRotationStatus = { KeyRotationEnabled: rotationEnabled };
  const policy = policyText(supplementary.Policy ?? supplementary.KeyPolicy);
  if (policy !== undefined) fields.GetKeyPolicy = { Policy: policy, PolicyName: 'default' };
  return fields;
}

/** GetResourceConfigHistory's ConfigurationItem, as the SDK returns it. */
export interface ApiConfigurationItem {
  version?: string;
  accountId?: string;
  configurationItemCaptureTime?: Date;
  configurationItemStatus?: string;
  arn?: string;
  resourceType?: string;
  resourceId?: string;
  resourceName?: string;
  awsRegion?: string;
  tags?: Record<string, string>;
  configuration?: string;
  supplementaryConfiguration?: Record<string, string>;
}

const parsed = (text: string | undefined): unknown => {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** The API's item in the event's shape (configuration and supplementary values parsed from their JSON strings). */
export function fromApiItem(api: ApiConfigurationItem): ConfigurationItem {
  const configuration = parsed(api.configuration);
  return {
    configurationItemCaptureTime: api.configurationItemCaptureTime?.toISOString() ?? '',
    configurationItemStatus: api.configurationItemStatus ?? '',
    resourceType: api.resourceType ?? '',
    resourceId: api.resourceId ?? '',
    awsAccountId: api.accountId ?? '',
    awsRegion: api.awsRegion ?? '',
    ARN: api.arn ?? null,
    resourceName: api.resourceName ?? null,
    configuration:
      configuration && typeof configuration === 'object' ? (configuration as Record<string, unknown>) : null,
    supplementaryConfiguration: Object.fromEntries(
      Object.entries(api.supplementaryConfiguration ?? {}).map(([k, v]) => [k, parsed(v)]),
    ),
    tags: api.tags ?? {},
  };
}
