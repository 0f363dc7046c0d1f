import type { RetentionOptions } from './store';

export const DEFAULT_RETENTION_DAYS = 30;

export interface Retention {
  processedEventDays: number;
  outboxDays: number;
}

export const retentionOf = (options: RetentionOptions = {}): Retention => ({
  processedEventDays: options.processedEventDays ?? DEFAULT_RETENTION_DAYS,
  outboxDays: options.outboxDays ?? DEFAULT_RETENTION_DAYS,
});
