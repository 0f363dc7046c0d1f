/** The AWS collector: live KMS keys (collectAws), the IAM side (collectIamSide), Access Analyzer findings. */

export type { AccessAnalyzerFinding, AccessAnalyzerRegion } from './access-analyzer';
export { readAccessAnalyzerFindings } from './access-analyzer';
export { DEFAULT_ORG_ROLE } from './accounts';
export { collectAws, optionProblems } from './collect';
export { collectIamSide } from './iam-side';
export type * from './iam-types';
export { DEFAULT_QUOTA_SHARE, PUBLISHED_KMS_QUOTAS, pacedRates } from './pacing';
export type { AwsScanOptions, CollectedKey, KeyManagerLabel, ProgressEvent, ScanPhase } from './types';
