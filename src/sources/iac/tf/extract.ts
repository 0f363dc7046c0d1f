/**
 * Terraform resources -> keys (aws_kms_key, aws_kms_replica_key, the terraform-aws-modules/kms module), key
 * policies attached by aws_kms_key_policy, aliases, grants, and the IAM policies that concern KMS with what they are
 * attached to (aws_iam_policy + attachments, aws_iam_role_policy, inline_policy, aws_iam_policy_document).
 */
import type { Environment } from '../cfn/pseudo';
import type { ReadLog } from '../log';
import type { TemplateGrant, TemplateKey, TemplatePolicy } from '../types';
import { booleanOf, numberOf } from '../values';
import { isSymbolicText } from './evaluate';
import { identityPolicies } from './extract-iam';
import { TF_IAM_KIND, tfIamArn } from './iam-names';
import type { TfPolicy, TfResource } from './model';

export interface TfExtract {
  keys: TemplateKey[];
  policies: TemplatePolicy[];
  grants: TemplateGrant[];
}

const KMS_MODULE = /(^|\/)terraform-aws-modules\/kms\/aws(\/\/|$)|terraform-aws-kms/;
const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
const list = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map(text).filter((v): v is string => v !== undefined)
    : text(value)
      ? [text(value) as string]
      : [];

export function extractTerraform(file: string, resources: TfResource[], env: Environment, log: ReadLog): TfExtract {
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  const base = (address: string) => address.replace(/\[[^\]]*\]$/, '');
  const find = (address: string) => byAddress.get(address) ?? resources.find((r) => base(r.address) === address);
  const keys = new Map<string, TemplateKey>();
  // Keys whose policy an aws_kms_key_policy sets: their own (computed) `policy` is not read.
  const policyResources = resources.filter((r) => r.mode === 'managed' && r.type === 'aws_kms_key_policy');
  const setByPolicyResource = new Set(policyResources.flatMap((r) => r.refs('key_id')));
  for (const resource of resources) {
    const isKey =
      resource.mode === 'managed' && (resource.type === 'aws_kms_key' || resource.type === 'aws_kms_replica_key');
    const isModule = resource.mode === 'module' && KMS_MODULE.test(text(resource.attrs.source) ?? '');
    if (!isKey && !isModule) continue;
    if (isModule && resource.attrs.policy === undefined) {
      log.note(
        resource.location?.pointer ?? resource.address,
        `module ${resource.name} builds its key policy from inputs (key_owners, key_users, ...) that keywarden does not model`,
      );
    }
    const replaced = setByPolicyResource.has(resource.address) || setByPolicyResource.has(base(resource.address));
    const type = isModule ? 'aws_kms_key' : (resource.type as TemplateKey['resourceType']);
    keys.set(resource.address, keyOf(file, resource, type, !replaced));
    const ownPolicy = resource.attrs.policy;
    if (replaced && ownPolicy !== undefined && ownPolicy !== null && !isSymbolicText(ownPolicy)) {
      log.note(
        resource.location?.pointer ?? resource.address,
        `an aws_kms_key_policy replaces the policy written in ${resource.address}`,
      );
    }
  }
  const keyOfRef = (resource: TfResource, path: string): TemplateKey | undefined => {
    for (const ref of resource.refs(path)) {
      const key = keys.get(ref) ?? [...keys.values()].find((k) => base(k.logicalId) === ref);
      if (key) return key;
    }
    return undefined;
  };
  const grants: TemplateGrant[] = [];
  for (const resource of resources) {
    if (resource.mode !== 'managed') continue;
    if (resource.type === 'aws_kms_key_policy') {
      const key = keyOfRef(resource, 'key_id');
      const policy = resource.policy('policy');
      if (!key) {
        log.note(
          resource.location?.pointer ?? resource.address,
          `${resource.address} sets the policy of key ${text(resource.attrs.key_id) ?? '?'}, which is not defined in this file`,
        );
        continue;
      }
      if (policy) setPolicy(key, policy);
    } else if (resource.type === 'aws_kms_alias') {
      const key = keyOfRef(resource, 'target_key_id');
      const name = text(resource.attrs.name);
      if (key && name) key.aliases.push(name);
    } else if (resource.type === 'aws_kms_grant') {
      const principal = (path: string) => {
        const value = resource.attrs[path];
        if (!isSymbolicText(value)) return text(value);
        const target = resource
          .refs(path)
          .map(find)
          .find((r) => r && TF_IAM_KIND[r.type]);
        return target ? tfIamArn(target, env) : text(value);
      };
      const key = keyOfRef(resource, 'key_id');
      grants.push(grantOf(file, resource, key, principal('grantee_principal'), principal('retiring_principal')));
    }
  }
  const policies = identityPolicies(file, resources, find, env);
  return { keys: [...keys.values()], policies, grants };
}

function setPolicy(key: TemplateKey, policy: TfPolicy): void {
  key.policy = policy.document;
  if (policy.location) key.policyLocation = policy.location;
  key.locatePolicy = (pointer) => policy.locate(pointer);
}

function keyOf(
  file: string,
  resource: TfResource,
  resourceType: TemplateKey['resourceType'],
  readPolicy: boolean,
): TemplateKey {
  const attrs = resource.attrs;
  const policy =
    readPolicy && attrs.policy !== undefined && attrs.policy !== null ? resource.policy('policy') : undefined;
  const key: TemplateKey = {
    file,
    logicalId: resource.address,
    resourceType,
    policy: undefined,
    locatePolicy: () => undefined,
    ...(resource.location ? { location: resource.location } : {}),
    aliases: [...list(attrs.alias), ...list(attrs.aliases).map((a) => (a.startsWith('alias/') ? a : `alias/${a}`))],
    suppressions: resource.suppressions,
    peerSuppressions: resource.peerSuppressions,
  };
  if (policy) setPolicy(key, policy);
  const rotation = booleanOf(attrs.enable_key_rotation);
  if (rotation !== undefined) key.enableKeyRotation = rotation;
  const enabled = booleanOf(attrs.is_enabled ?? attrs.enabled);
  if (enabled !== undefined) key.enabled = enabled;
  const multiRegion = booleanOf(attrs.multi_region);
  if (multiRegion !== undefined) key.multiRegion = multiRegion;
  const keySpec = text(attrs.customer_master_key_spec ?? attrs.key_spec);
  if (keySpec !== undefined) key.keySpec = keySpec;
  const keyUsage = text(attrs.key_usage);
  if (keyUsage !== undefined) key.keyUsage = keyUsage;
  const window = numberOf(attrs.deletion_window_in_days);
  if (window !== undefined) key.pendingWindowInDays = window;
  return key;
}

function grantOf(
  file: string,
  resource: TfResource,
  key: TemplateKey | undefined,
  grantee: string | undefined,
  retiring: string | undefined,
): TemplateGrant {
  const attrs = resource.attrs;
  const constraints = Array.isArray(attrs.constraints) ? attrs.constraints[0] : attrs.constraints;
  const context = (value: unknown) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]))
      : undefined;
  const equals = context((constraints as Record<string, unknown> | undefined)?.encryption_context_equals);
  const subset = context((constraints as Record<string, unknown> | undefined)?.encryption_context_subset);
  return {
    file,
    logicalId: resource.address,
    keyRef: key?.logicalId ?? text(attrs.key_id) ?? '?',
    granteePrincipal: grantee ?? '?',
    operations: list(attrs.operations),
    ...(equals || subset
      ? {
          constraints: {
            ...(equals ? { encryptionContextEquals: equals } : {}),
            ...(subset ? { encryptionContextSubset: subset } : {}),
          },
        }
      : {}),
    ...(retiring ? { retiringPrincipal: retiring } : {}),
    ...(resource.location ? { location: resource.location } : {}),
  };
}
