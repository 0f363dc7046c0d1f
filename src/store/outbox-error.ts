/** Longest error text kept per outbox message. */
export const MAX_ERROR_LENGTH = 2000;

/** The error text an outbox message keeps for a failed delivery. */
export const outboxErrorText = (error: string): string => error.slice(0, MAX_ERROR_LENGTH) || '(no message)';
