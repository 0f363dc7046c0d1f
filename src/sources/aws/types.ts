import type { RawSnapshot } from '../../kms/snapshot-format';

/** What `keywarden scan --aws` asks of the collector, in the AWS CLI's words. */
export interface AwsScanOptions {
  /** Named profile (`--profile`); otherwise the SDK's standard chain (AWS_PROFILE, env, SSO, IMDS...). */
  profile?: string;
  /** One or more region names, or `all` = every region enabled for the account (account:ListRegions). */
  regions?: string[] | 'all';
  /** Scan every active account of the Organization (Organizations ListAccounts). */
  org?: boolean;
  /** Role assumed in each member account with `--org` (default OrganizationAccountAccessRole). */
  role?: string;
  externalId?: string;
  /** Only these account ids. */
  accounts?: string[];
  excludeAccounts?: string[];
  /** Share of each published KMS quota the scan may use per account and region (0 < share <= 1, default 0.5). */
  quotaShare?: number;
  /** Cap on all KMS requests per second per account and region, whatever the quotas allow. */
  maxRps?: number;
  /** Read the IAM side (collectIamSide); the CLI decides when to call it. */
  iam?: boolean;
  /** Read Access Analyzer findings (readAccessAnalyzerFindings); the CLI decides when to call it. */
  accessAnalyzer?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  /** Keys collected at once in one account-region (default 24). */
  keyConcurrency?: number;
  /** Account-regions scanned at once (default 8). */
  regionConcurrency?: number;
  /** Test hook: merged into every SDK client's configuration (e.g. a custom requestHandler). */
  clientConfig?: object;
}

export type KeyManagerLabel = 'AWS' | 'CUSTOMER' | 'unknown';

/** One key as the collector read it: the `keywarden.snapshot/v1` record plus what the engine needs at once. */
export interface CollectedKey {
  raw: RawSnapshot;
  arn: string;
  keyManager: KeyManagerLabel;
}

export type ScanPhase = 'listing' | 'collecting' | 'done' | 'failed';

/** Progress of one account-region, emitted as the scan goes. */
export interface ProgressEvent {
  account: string;
  region: string;
  phase: ScanPhase;
  keysDone: number;
  /** Known once ListKeys has finished. */
  keysTotal?: number;
  /** Keys with at least one field that could not be read. */
  errors: number;
  /** Keys per second since this account-region started. */
  rate: number;
  /** For `failed`: the gap's reason. */
  message?: string;
}
