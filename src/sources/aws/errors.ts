import type { ApiError } from '../../kms/snapshot-format';

/** The few kinds of failure a user can do something about, each with its own advice. */
export type FailureKind =
  | 'access-denied'
  | 'region-not-enabled'
  | 'expired-credentials'
  | 'no-credentials'
  | 'unknown-region'
  | 'unreachable'
  | 'throttled'
  | 'other';

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: unknown;
  $fault?: string;
}

const asErrorLike = (err: unknown): ErrorLike =>
  typeof err === 'object' && err !== null ? (err as ErrorLike) : { message: String(err) };

/** The error code AWS or Node reported: `AccessDeniedException`, `ThrottlingException`, `ENOTFOUND`... */
export function errorCode(err: unknown): string {
  const e = asErrorLike(err);
  const isServiceError = e.$metadata !== undefined || e.$fault !== undefined;
  if (!isServiceError && typeof e.code === 'string' && e.code !== '') return e.code;
  return e.name && e.name !== 'Error' ? e.name : (e.code ?? 'Error');
}

export function errorMessage(err: unknown): string {
  const message = asErrorLike(err).message;
  return message && message.trim() !== '' ? message.trim() : 'no message';
}

/** A failed call as the snapshot format records it. */
export function toApiError(err: unknown): ApiError {
  return { error: { code: errorCode(err), message: errorMessage(err) } };
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthorizationErrorException',
]);
const NOT_ENABLED = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'AuthFailure']);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired']);
const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'LimitExceededException']);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN']);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'TimeoutError']);

export function classifyFailure(err: unknown): FailureKind {
  const code = errorCode(err);
  const message = errorMessage(err);
  if (ACCESS_DENIED.has(code)) return 'access-denied';
  if (EXPIRED.has(code) || /expired/i.test(message)) return 'expired-credentials';
  if (NOT_ENABLED.has(code)) return 'region-not-enabled';
  if (code === 'CredentialsProviderError' || /could not (load|resolve) credentials/i.test(message)) {
    return 'no-credentials';
  }
  if (DNS.has(code) || /invalid region/i.test(message)) return 'unknown-region';
  if (NETWORK.has(code)) return 'unreachable';
  if (THROTTLED.has(code)) return 'throttled';
  return 'other';
}

/** Whether a failure concerns a whole region (or account), not one key. */
export type FailureScope = 'run' | 'account' | 'region';

function advice(kind: FailureKind, scope: FailureScope): string {
  switch (kind) {
    case 'access-denied':
      return 'grant the scanning identity the read-only policy in docs/permissions.md, and check SCPs or key policies that deny it';
    case 'region-not-enabled':
      return scope === 'region'
        ? 'the region is probably an opt-in region not enabled for this account: enable it (Account > AWS Regions) or leave it out of --region'
        : 'the access key is not valid: check the credentials of the profile or environment';
    case 'expired-credentials':
      return 'the credentials have expired: refresh them (for example `aws sso login`) and run again';
    case 'no-credentials':
      return 'check --profile, AWS_PROFILE and ~/.aws/config (`aws configure list-profiles` lists the profiles)';
    case 'unknown-region':
      return 'check the region name (for example eu-west-1, not eu-west-1a) and the network path to AWS';
    case 'unreachable':
      return 'check the network path and the endpoint settings (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>)';
    case 'throttled':
      return 'other workloads are using the quota: run again later, lower --max-rps, or raise AWS_MAX_ATTEMPTS';
    default:
      return 'run again; if it persists, run the same call with the AWS CLI to see the full error';
  }
}

const ENVIRONMENT_KINDS = new Set<FailureKind>([
  'expired-credentials',
  'no-credentials',
  'unknown-region',
  'unreachable',
]);

/**
 * One line a user can act on: what failed, where, the AWS error, and how to fix it.
 * `what` is a verb phrase ("list keys (kms:ListKeys)"), `where` names the account and region; `fix` replaces the
 * generic advice unless the failure lies in the environment (credentials, network, region name).
 */
export function explainFailure(err: unknown, what: string, where: string, scope: FailureScope, fix?: string): string {
  const kind = classifyFailure(err);
  const howToFix = fix !== undefined && !ENVIRONMENT_KINDS.has(kind) ? fix : advice(kind, scope);
  return `could not ${what} in ${where}: ${errorCode(err)}: ${errorMessage(err)}; ${howToFix}`;
}
