/** Rules of the outbox that both stores apply the same way. */
import { StoreError } from './errors';
import { addMs } from './time';

/** Longest error text kept per outbox message. */
export const MAX_ERROR_LENGTH = 2000;

/** The error text an outbox message keeps for a failed delivery. */
export const outboxErrorText = (error: string): string => error.slice(0, MAX_ERROR_LENGTH) || '(no message)';

/** End of a lease taken at `now` (normalised ISO); a lease must last some time, or a message could be taken twice. */
export const leaseUntilOf = (now: string, leaseMs: number): string => {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) {
    throw new StoreError(`leaseMs ${leaseMs} is not a positive number of milliseconds; pass e.g. 60000`, 'leaseMs');
  }
  return addMs(now, leaseMs);
};
