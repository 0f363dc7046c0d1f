/**
 * The parts of keywarden.yaml the watch, reconciliation and fix read: trusted parties, rule settings, the
 * notification channels (the notifier's own schema) and the watch's own settings. Other top-level sections are
 * left to the features that own them. Errors name the place (`watch/ransom/threshold`) and say how to fix it.
 */
import { parseConfigText } from '../config';
import type { Severity } from '../findings/types';
import type { RuleSetting } from '../rules/engine';
import type { Trusted } from '../rules/rule';
import type { ChannelConfig } from '../sinks/notify/config';
import type { RansomOptions } from '../trail/detect/ransom';
import { DEFAULT_ALERT_ON } from './watch';

export interface WatchConfig {
  trusted: Trusted;
  rules: Record<string, RuleSetting>;
  channels: ChannelConfig[];
  alertOn: Severity;
  notifyResolved: boolean;
  ransom: Partial<RansomOptions>;
  /** Regions the reconciliation scans (default: the region it runs in). */
  reconcileRegions?: string[];
}

export const EMPTY_WATCH_CONFIG: WatchConfig = {
  trusted: { accounts: [], organizations: [], orgPaths: [] },
  rules: {},
  channels: [],
  alertOn: DEFAULT_ALERT_ON,
  notifyResolved: true,
  ransom: {},
};

export type ConfigResult = { ok: true; value: WatchConfig } | { ok: false; errors: string[] };

/** Reads keywarden.yaml text (the one schema of src/config); `where` names the file or location in the errors. */
export function parseWatchConfig(text: string, where: string): ConfigResult {
  const parsed = parseConfigText(text);
  if (!parsed.ok) {
    return {
      ok: false,
      errors: parsed.errors.map(
        (e) =>
          `${where}${e.line !== undefined ? `:${e.line}:${e.column ?? 1}` : ''}: ${e.path ? `${e.path}: ` : ''}${e.message}`,
      ),
    };
  }
  const c = parsed.config;
  return {
    ok: true,
    value: {
      trusted: {
        accounts: (c.trusted?.accounts ?? []).map(String),
        organizations: c.trusted?.organizations ?? [],
        orgPaths: c.trusted?.orgPaths ?? [],
      },
      rules: (c.rules ?? {}) as Record<string, RuleSetting>,
      channels: c.notifications?.channels ?? [],
      alertOn: (c.watch?.alertOn as Severity | undefined) ?? DEFAULT_ALERT_ON,
      notifyResolved: c.watch?.notifyResolved ?? true,
      ransom: {
        ...(c.watch?.ransom?.threshold !== undefined ? { threshold: c.watch.ransom.threshold } : {}),
        ...(c.watch?.ransom?.windowMinutes !== undefined ? { windowMinutes: c.watch.ransom.windowMinutes } : {}),
      },
      ...(c.watch?.reconcileRegions ? { reconcileRegions: c.watch.reconcileRegions } : {}),
    },
  };
}
