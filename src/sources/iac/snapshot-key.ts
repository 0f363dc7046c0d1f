/**
 * One template key as a KeySnapshot: what the template says about the key, and "not carried" for what a template
 * cannot say (tags, grants made outside it, rotation written as a symbolic value). See docs/iac.md.
 */
import { type Known, known, NOT_CARRIED, unknown } from '../../kms/known';
import type { Grant, KeyMetadata, KeySnapshot } from '../../kms/snapshot';
import { parsePolicyValue } from '../../policy';
import type { PolicyError } from '../../policy/types';
import { environmentOf } from './cfn/pseudo';
import type { TemplateGrant, TemplateKey, TemplateReadOptions, TemplateReadResult } from './types';

/**
 * The template's own account when `--template-account` is not given. The readers' `{{AWS::AccountId}}` holds colons,
 * which the KMS engine's account parsing (src/kms/access.ts `accountOf`, bilateral `isAccountEntry`) splits as ARN
 * segments, judging the template's own root an outside account; this colon-free symbol is read as one opaque
 * account everywhere. It is shown to users as written here.
 */
export const TEMPLATE_ACCOUNT = '{{AWS-AccountId}}';

/** A bare account entry in Principal.AWS (`!Ref AWS::AccountId`) as the root ARN AWS stores it as. */
function rootArnsForBareAccount(document: unknown, account: string, partition: string): unknown {
  if (account !== TEMPLATE_ACCOUNT || typeof document !== 'object' || document === null) return document;
  const root = `arn:${partition}:iam::${account}:root`;
  const fix = (v: unknown): unknown =>
    v === account ? root : Array.isArray(v) ? v.map((x) => (x === account ? root : x)) : v;
  const statements = (document as { Statement?: unknown }).Statement;
  const fixStatement = (s: unknown): unknown => {
    if (typeof s !== 'object' || s === null) return s;
    const out = { ...(s as Record<string, unknown>) };
    for (const field of ['Principal', 'NotPrincipal']) {
      const p = out[field];
      if (typeof p === 'object' && p !== null && !Array.isArray(p) && 'AWS' in p)
        out[field] = { ...(p as Record<string, unknown>), AWS: fix((p as Record<string, unknown>).AWS) };
    }
    return out;
  };
  return {
    ...(document as Record<string, unknown>),
    Statement: Array.isArray(statements) ? statements.map(fixStatement) : fixStatement(statements),
  };
}

/** The ARN a template key gets: symbolic parts where the template cannot know them. */
export function templateKeyArn(key: TemplateKey, result: TemplateReadResult, options: TemplateReadOptions): string {
  const env = environmentOf(options);
  const id = key.resourceType.startsWith('aws_') ? `{{${key.logicalId}.key_id}}` : `{{Ref:${key.logicalId}}}`;
  return `arn:${env.partition}:kms:${env.region}:${result.account}:key/${id}`;
}

/** The ways a template writes "this key's ARN" in an IAM policy (`!GetAtt Key.Arn`, `aws_kms_key.main.arn`). */
export function templateKeyArnForms(key: TemplateKey): string[] {
  return key.resourceType.startsWith('aws_')
    ? [`{{${key.logicalId}.arn}}`]
    : [`{{GetAtt:${key.logicalId}.Arn}}`, `{{Ref:${key.logicalId}.Arn}}`];
}

/**
 * The default key policy AWS applies when none is given (CreateKey without Policy): the account root, all of kms.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export function defaultKeyPolicy(account: string, partition: string): unknown {
  return {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
}

const ROTATABLE_SPEC = 'SYMMETRIC_DEFAULT';

function metadataOf(key: TemplateKey, arn: string, account: string): KeyMetadata {
  const keyState = key.enabled === false ? 'Disabled' : key.enabled === 'symbolic' ? undefined : 'Enabled';
  return {
    KeyId: arn.slice(arn.indexOf(':key/') + 5),
    Arn: arn,
    AWSAccountId: account,
    ...(keyState ? { KeyState: keyState, Enabled: keyState === 'Enabled' } : {}),
    KeyManager: 'CUSTOMER',
    KeySpec: key.keySpec ?? ROTATABLE_SPEC,
    KeyUsage: key.keyUsage ?? 'ENCRYPT_DECRYPT',
    Origin: 'AWS_KMS',
    ...(typeof key.multiRegion === 'boolean' ? { MultiRegion: key.multiRegion } : {}),
  };
}

/**
 * Rotation as the template sets it. Not written on a symmetric key: off (CloudFormation's and Terraform's default).
 * A symbolic value, a replica key (it follows its primary) or a key type or usage that cannot rotate: not carried.
 */
function rotationOf(key: TemplateKey): Known<boolean> {
  if (key.enableKeyRotation === 'symbolic') return unknown(NOT_CARRIED);
  if (key.resourceType === 'AWS::KMS::ReplicaKey' || key.resourceType === 'aws_kms_replica_key')
    return unknown(NOT_CARRIED);
  if ((key.keySpec ?? ROTATABLE_SPEC) !== ROTATABLE_SPEC) return unknown(NOT_CARRIED);
  // Only symmetric encryption keys rotate; SIGN_VERIFY / GENERATE_VERIFY_MAC keys are asymmetric or HMAC keys.
  if (key.keyUsage !== undefined && key.keyUsage !== 'ENCRYPT_DECRYPT') return unknown(NOT_CARRIED);
  return known(key.enableKeyRotation === true);
}

function grantOf(grant: TemplateGrant): Grant {
  return {
    GrantId: grant.logicalId,
    Name: grant.logicalId,
    GranteePrincipal: grant.granteePrincipal,
    ...(grant.retiringPrincipal ? { RetiringPrincipal: grant.retiringPrincipal } : {}),
    Operations: grant.operations,
    ...(grant.constraints
      ? {
          Constraints: {
            ...(grant.constraints.encryptionContextEquals
              ? { EncryptionContextEquals: grant.constraints.encryptionContextEquals }
              : {}),
            ...(grant.constraints.encryptionContextSubset
              ? { EncryptionContextSubset: grant.constraints.encryptionContextSubset }
              : {}),
          },
        }
      : {}),
  };
}

export interface KeySnapshotResult {
  snapshot: KeySnapshot;
  /** The key policy did not parse: located errors (the snapshot's policy is then unknown). */
  policyErrors: PolicyError[];
}

export function keySnapshot(
  key: TemplateKey,
  result: TemplateReadResult,
  options: TemplateReadOptions & { collectedAt: string },
): KeySnapshotResult {
  const arn = templateKeyArn(key, result, options);
  const env = environmentOf(options);
  const written = key.policy !== undefined;
  const document = written
    ? rootArnsForBareAccount(key.policy, result.account, env.partition)
    : defaultKeyPolicy(result.account, env.partition);
  // Without a written policy, findings point at the key resource itself.
  const locate = written
    ? (pointer: string) => key.locatePolicy(pointer)
    : (pointer: string) => (key.location ? { ...key.location, pointer } : undefined);
  const parsed = parsePolicyValue(document, { locate });
  const grants = result.grants.filter((g) => g.keyRef === key.logicalId).map(grantOf);
  const snapshot: KeySnapshot = {
    arn,
    account: result.account,
    region: env.region,
    metadata: known(metadataOf(key, arn, result.account)),
    aliases: known(key.aliases),
    tags: unknown(NOT_CARRIED),
    policy: parsed.ok
      ? known(parsed.policy)
      : unknown(`the key policy in the template is not valid: ${parsed.errors[0]?.message ?? 'unreadable'}`),
    // The grants the template creates; grants made at run time (by services, by hand) are not in a template.
    grants: grants.length > 0 ? known(grants) : unknown(NOT_CARRIED),
    rotation: rotationOf(key),
    collectedAt: options.collectedAt,
    origin: { kind: 'template', file: key.file, logicalId: key.logicalId, positionsInFile: true },
  };
  return { snapshot, policyErrors: parsed.ok ? [] : parsed.errors };
}
