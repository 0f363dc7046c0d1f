/**
 * Time windows: `--since` / `--until` as ISO 8601 or relative to an injected now (`90m`, `24h`, `7d`, `2w`).
 * Pure: the caller passes now, nothing here reads the clock.
 */
import { eventTimeMs } from './event';

export interface TimeWindow {
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export type TimeBound = { ok: true; ms: number } | { ok: false; reason: string };

/** Parse one bound. `24h` means 24 hours before now. */
export const parseTimeBound = (text: string, now: number): TimeBound => {
  const trimmed = text.trim();
  const relative = /^(\d+)\s*([smhdw])$/i.exec(trimmed);
  if (relative) {
    const unit = UNIT_MS[(relative[2] ?? '').toLowerCase()] ?? 0;
    return { ok: true, ms: now - Number(relative[1]) * unit };
  }
  if (/^\d{4}-\d\d-\d\d/.test(trimmed)) {
    const dateOnly = /^\d{4}-\d\d-\d\d$/.test(trimmed);
    const ms = eventTimeMs(dateOnly ? `${trimmed}T00:00:00Z` : trimmed);
    if (!Number.isNaN(ms)) return { ok: true, ms };
  }
  return {
    ok: false,
    reason: `"${text}" is not a time: use ISO 8601 (2024-06-01 or 2024-06-01T10:15:00Z) or a duration before now (90m, 24h, 7d, 2w)`,
  };
};

export type WindowParse = { ok: true; window: TimeWindow } | { ok: false; reason: string };

export const parseTimeWindow = (since: string | undefined, until: string | undefined, now: number): WindowParse => {
  const window: TimeWindow = {};
  if (since !== undefined) {
    const bound = parseTimeBound(since, now);
    if (!bound.ok) return { ok: false, reason: `--since: ${bound.reason}` };
    window.since = bound.ms;
  }
  if (until !== undefined) {
    const bound = parseTimeBound(until, now);
    if (!bound.ok) return { ok: false, reason: `--until: ${bound.reason}` };
    window.until = bound.ms;
  }
  if (window.since !== undefined && window.until !== undefined && window.since >= window.until) {
    return { ok: false, reason: '--since must be before --until' };
  }
  return { ok: true, window };
};

export const inWindow = (eventTime: string, window: TimeWindow): boolean => {
  if (window.since === undefined && window.until === undefined) return true;
  const ms = eventTimeMs(eventTime);
  if (window.since !== undefined && ms < window.since) return false;
  if (window.until !== undefined && ms >= window.until) return false;
  return true;
};

/** ISO 8601 with seconds, the way CloudTrail writes times (2024-06-01T10:15:00Z). */
export const isoSeconds = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;
