/** The AWS collector: live KMS keys (collectAws), the IAM side (collectIamSide), Access Analyzer findings. */

export { DEFAULT_ORG_ROLE } from './accounts';
export { collectAws, optionProblems } from './collect';
export { DEFAULT_QUOTA_SHARE, PUBLISHED_KMS_QUOTAS, pacedRates } from './pacing';
export type { AwsScanOptions, CollectedKey, KeyManagerLabel, ProgressEvent, ScanPhase } from './types';
