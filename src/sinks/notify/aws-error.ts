/** Turns an AWS SDK error into a ChannelError with a hint, deciding whether retrying can help. */
import { ChannelError, describe } from './channel';

interface SdkErrorLike {
  name?: string;
  message?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
  $fault?: 'client' | 'server';
}

const NOT_RETRYABLE_HINTS: Array<[RegExp, string]> = [
  [/Authoriz|AccessDenied|Forbidden/i, 'allow the call to the role or user keywarden runs as'],
  [/NotFound|ResourceNotFound/i, 'check the ARN or name in the channels configuration'],
  [/InvalidParameter|Validation/i, 'the request was refused as invalid; report this with the message'],
  [
    /Credentials|ExpiredToken|UnrecognizedClient|InvalidClientTokenId|SignatureDoesNotMatch/i,
    'check the AWS credentials keywarden runs with',
  ],
];

const RETRYABLE =
  /Throttl|TooManyRequests|InternalError|InternalFailure|ServiceUnavailable|RequestTimeout|TimeoutError|socket hang up/i;
/** Node network error codes, matched as written (`ResourceNotFound` is no `ENOTFOUND`). */
const NETWORK = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EPIPE)\b/;

export function awsChannelError(channel: string, what: string, error: unknown): ChannelError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorLike;
  const code = e.name && e.name !== 'Error' ? e.name : undefined;
  const status = e.$metadata?.httpStatusCode;
  const text = describe(error);
  const retryable =
    Boolean(e.$retryable) ||
    e.$fault === 'server' ||
    (status !== undefined && (status >= 500 || status === 429)) ||
    RETRYABLE.test(`${code ?? ''} ${text}`) ||
    NETWORK.test(`${code ?? ''} ${text} ${(e as { code?: string }).code ?? ''}`);
  const hint = retryable
    ? 'will be retried'
    : (NOT_RETRYABLE_HINTS.find(([pattern]) => pattern.test(`${code ?? ''} ${text}`))?.[1] ?? 'see the message');
  const detail = [code, status ? `HTTP ${status}` : undefined].filter(Boolean).join(', ');
  return new ChannelError(channel, `${channel}: could not ${what}: ${text}${detail ? ` (${detail})` : ''}; ${hint}`, {
    retryable,
    code,
  });
}
