import { StoreError } from './errors';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Normalise a caller's ISO 8601 time to `toISOString()` form, so stored times compare correctly as strings in
 * SQLite and in DynamoDB sort keys. `what` names the argument in the error.
 */
export const isoTime = (value: string, what: string): string => {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new StoreError(
      `${what} ${JSON.stringify(value)} is not an ISO 8601 time; pass a time such as 2024-05-01T12:00:00Z`,
      what,
    );
  }
  return new Date(ms).toISOString();
};

export const addMs = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();

export const addDays = (iso: string, days: number): string => addMs(iso, days * DAY_MS);

/** Epoch seconds, rounded up: the unit of DynamoDB's TTL attribute. */
export const epochSeconds = (iso: string): number => Math.ceil(Date.parse(iso) / 1000);
