/**
 * The ransom pattern: one principal schedules deletion of, disables, or puts a lockout policy on at least
 * `threshold` distinct keys within `windowMinutes`. The principal is the role behind a session when there is one
 * (so many sessions of one stolen role count together), else the caller. Failed calls do not count.
 * Defined once here; the live watch and the trail investigation both use it.
 */
import type { CloudTrailEvent } from './event';
import { eventTimeMs } from './event';
import { actingPrincipal, isFailed, isKmsEvent, keyArnsOf } from './fields';
import { type EventRef, eventRef, type Flag, type Investigation } from './investigation';
import { locksOutOwnAccount } from './key-policy-signals';

export interface RansomOptions {
  /** Distinct keys that make a pattern (default 3). */
  threshold: number;
  /** Width of the sliding window in minutes (default 10). */
  windowMinutes: number;
  /** Whether a PutKeyPolicy locks the account out; defaults to the built-in check (locksOutOwnAccount). */
  isLockout?: (event: CloudTrailEvent) => boolean;
}

export const DEFAULT_RANSOM_OPTIONS: RansomOptions = { threshold: 3, windowMinutes: 10 };

export type RansomAction = 'ScheduleKeyDeletion' | 'DisableKey' | 'lockout policy';

/** The ransom-relevant action an event performs, if it performs one (successfully). */
export const ransomActionOf = (
  event: CloudTrailEvent,
  isLockout: (event: CloudTrailEvent) => boolean = locksOutOwnAccount,
): RansomAction | undefined => {
  if (!isKmsEvent(event) || isFailed(event)) return undefined;
  if (event.eventName === 'ScheduleKeyDeletion' || event.eventName === 'DisableKey') return event.eventName;
  if (event.eventName === 'PutKeyPolicy' && isLockout(event)) return 'lockout policy';
  return undefined;
};

export interface RansomStep extends EventRef {
  key: string;
  action: RansomAction;
}

export interface RansomIncident {
  principal: string;
  keys: string[];
  actions: Partial<Record<RansomAction, number>>;
  first: string;
  last: string;
  steps: RansomStep[];
}

const keyLabel = (event: CloudTrailEvent): string => {
  const arn = keyArnsOf(event)[0];
  if (arn) return arn;
  const keyId = event.requestParameters?.keyId;
  return typeof keyId === 'string' && keyId !== '' ? keyId : 'unknown key';
};

/** The incidents in one principal's steps (sorted by time). Overlapping windows merge into one incident. */
const incidentsOf = (principal: string, steps: RansomStep[], options: RansomOptions): RansomIncident[] => {
  const windowMs = options.windowMinutes * 60_000;
  const times = steps.map((step) => eventTimeMs(step.time));
  const inWindow = new Map<string, number>();
  const incidents: RansomIncident[] = [];
  let open: { from: number; to: number } | undefined;
  const close = () => {
    if (!open) return;
    const chosen = steps.slice(open.from, open.to + 1);
    const actions: Partial<Record<RansomAction, number>> = {};
    for (const step of chosen) actions[step.action] = (actions[step.action] ?? 0) + 1;
    incidents.push({
      principal,
      keys: [...new Set(chosen.map((step) => step.key))].sort(),
      actions,
      first: chosen[0]?.time ?? '',
      last: chosen[chosen.length - 1]?.time ?? '',
      steps: chosen,
    });
    open = undefined;
  };
  let start = 0;
  for (let end = 0; end < steps.length; end++) {
    const key = steps[end]?.key ?? '';
    inWindow.set(key, (inWindow.get(key) ?? 0) + 1);
    while ((times[end] ?? 0) - (times[start] ?? 0) > windowMs) {
      const leaving = steps[start]?.key ?? '';
      const left = (inWindow.get(leaving) ?? 1) - 1;
      if (left === 0) inWindow.delete(leaving);
      else inWindow.set(leaving, left);
      start++;
    }
    if (inWindow.size >= options.threshold) {
      if (open && start <= open.to) open.to = end;
      else {
        close();
        open = { from: start, to: end };
      }
    }
  }
  close();
  return incidents;
};

/** Find ransom patterns in any set of events (order does not matter). */
export const detectRansom = (
  events: Iterable<CloudTrailEvent>,
  options: Partial<RansomOptions> = {},
): RansomIncident[] => {
  const investigation = ransomInvestigation(options);
  for (const event of events) investigation.add(event);
  return investigation.finish().incidents;
};

export interface RansomResult {
  threshold: number;
  windowMinutes: number;
  /** Successful deletions, disables and lockout policies seen (the candidates). */
  candidates: number;
  incidents: RansomIncident[];
  flags: Flag[];
}

export const ransomInvestigation = (partial: Partial<RansomOptions> = {}): Investigation<RansomResult> => {
  const options: RansomOptions = { ...DEFAULT_RANSOM_OPTIONS, ...partial };
  const byPrincipal = new Map<string, RansomStep[]>();
  let candidates = 0;
  return {
    add(event) {
      const action = ransomActionOf(event, options.isLockout);
      if (!action) return;
      candidates++;
      const principal = actingPrincipal(event);
      const step: RansomStep = { ...eventRef(event), key: keyLabel(event), action };
      const steps = byPrincipal.get(principal);
      if (steps) steps.push(step);
      else byPrincipal.set(principal, [step]);
    },
    finish() {
      const incidents: RansomIncident[] = [];
      for (const [principal, steps] of [...byPrincipal.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
        steps.sort(
          (a, b) => eventTimeMs(a.time) - eventTimeMs(b.time) || (a.eventID ?? '').localeCompare(b.eventID ?? ''),
        );
        incidents.push(...incidentsOf(principal, steps, options));
      }
      const flags: Flag[] = incidents.map((incident) => ({
        severity: 'critical',
        title: `${incident.principal} disabled, scheduled for deletion or locked out ${incident.keys.length} keys between ${incident.first} and ${incident.last}`,
        time: incident.first,
        principal: incident.principal,
      }));
      return { threshold: options.threshold, windowMinutes: options.windowMinutes, candidates, incidents, flags };
    },
  };
};
