import type { ParsedPolicy } from '../policy/types';
import type { Known } from './known';

/** DescribeKey's KeyMetadata, the fields keywarden reads (names as the KMS API spells them). */
export interface KeyMetadata {
  KeyId: string;
  Arn: string;
  AWSAccountId?: string;
  KeyState?: string; // Enabled | Disabled | PendingDeletion | PendingImport | PendingReplicaDeletion | Unavailable | Creating | Updating
  Enabled?: boolean;
  KeyManager?: 'CUSTOMER' | 'AWS' | string;
  KeySpec?: string;
  KeyUsage?: string;
  Origin?: string; // AWS_KMS | EXTERNAL | AWS_CLOUDHSM | EXTERNAL_KEY_STORE
  MultiRegion?: boolean;
  MultiRegionConfiguration?: { MultiRegionKeyType?: string; [k: string]: unknown };
  DeletionDate?: string; // ISO
  CreationDate?: string; // ISO
  Description?: string;
}

/** A grant as ListGrants returns it. */
export interface Grant {
  GrantId: string;
  KeyId?: string;
  Name?: string;
  GranteePrincipal?: string;
  RetiringPrincipal?: string;
  IssuingAccount?: string;
  Operations: string[];
  Constraints?: {
    EncryptionContextSubset?: Record<string, string>;
    EncryptionContextEquals?: Record<string, string>;
  };
  CreationDate?: string;
}

/** Everything keywarden knows about one key at one moment, from any source. */
export interface KeySnapshot {
  arn: string;
  account: string;
  region: string;
  metadata: Known<KeyMetadata>;
  aliases: Known<string[]>;
  tags: Known<Record<string, string>>;
  policy: Known<ParsedPolicy>;
  grants: Known<Grant[]>;
  rotation: Known<boolean>;
  /** ISO time. */
  collectedAt: string;
  /** Where it came from: a file path, `aws:<account>/<region>`, a template logical id... */
  origin: {
    kind: 'file' | 'aws' | 'template' | 'event' | 'store';
    file?: string;
    logicalId?: string;
    /** The policy's locate() gives positions in `file` itself (bare policy files, templates), not in an embedded string. */
    positionsInFile?: boolean;
  };
}

/** What a source could not read: an account, a region, a key, a file. The end of a run lists every gap. */
export interface Gap {
  gap: true;
  account?: string;
  region?: string;
  key?: string;
  file?: string;
  /** What went wrong and how to fix it, in a user's words. */
  reason: string;
  /** Location inside the file, when the gap is a bad input. */
  pointer?: string;
  line?: number;
  column?: number;
}

export const isGap = (x: KeySnapshot | Gap | Skipped): x is Gap => (x as Gap).gap === true;

/** A file a source read but did not recognise as an input (listed, not an error). */
export interface Skipped {
  skipped: true;
  file: string;
  reason: string;
}

export type SourceItem = KeySnapshot | Gap | Skipped;

export const isSkipped = (x: SourceItem): x is Skipped => (x as Skipped).skipped === true;
