/**
 * AWS SDK errors in the response's words: which ones mean "already gone" (NoSuchEntity), which ones are worth trying
 * again (throttling, service errors, the network), and a one-line text without the stack. SDK error messages carry
 * no credentials; nothing else of the error is kept.
 */

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number };
}

const shape = (error: unknown): SdkErrorLike =>
  typeof error === 'object' && error !== null ? (error as SdkErrorLike) : { message: String(error) };

const nameOf = (error: unknown): string => {
  const e = shape(error);
  return e.Code ?? e.name ?? e.code ?? 'Error';
};

export const isNoSuchEntity = (error: unknown): boolean => /^NoSuchEntity(Exception)?$/.test(nameOf(error));

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);
const TRANSIENT = new Set([
  'ServiceFailure',
  'ServiceFailureException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ConcurrentModification',
  'ConcurrentModificationException',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export const isThrottling = (error: unknown): boolean =>
  THROTTLING.has(nameOf(error)) || shape(error).$retryable?.throttling === true;

/** Throttling, 5xx, timeouts and connection errors: trying again later can help. */
export const isRetryable = (error: unknown): boolean => {
  const e = shape(error);
  const status = e.$metadata?.httpStatusCode ?? 0;
  return (
    isThrottling(error) ||
    TRANSIENT.has(nameOf(error)) ||
    TRANSIENT.has(e.code ?? '') ||
    status >= 500 ||
    status === 429
  );
};

/** `NoSuchEntityException: The user with name x cannot be found.` */
export const errorText = (error: unknown): string => {
  const e = shape(error);
  const name = nameOf(error);
  const message = (e.message ?? '').split('\n')[0]?.slice(0, 500) ?? '';
  return name && name !== 'Error' && !message.startsWith(name) ? `${name}: ${message}` : message || name;
};

/** An answer from the service saying "not now" (throttling, 429, 5xx): worth waiting for; a dead network is not. */
export const isBusyAnswer = (error: unknown): boolean => {
  const status = shape(error).$metadata?.httpStatusCode ?? 0;
  return isThrottling(error) || status === 429 || status >= 500;
};
