/**
 * The parts of keywarden.yaml the watch, reconciliation and fix read: trusted parties, rule settings, the
 * notification channels (the notifier's own schema) and the watch's own settings. Other top-level sections are
 * left to the features that own them. Errors name the place (`watch/ransom/threshold`) and say how to fix it.
 */
import { parse } from 'yaml';
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../findings/types';
import type { RuleSetting } from '../rules/engine';
import type { Trusted } from '../rules/rule';
import { type ChannelConfig, channelConfigSchema } from '../sinks/notify/config';
import type { RansomOptions } from '../trail/detect/ransom';
import { DEFAULT_ALERT_ON } from './watch';

const severity = z.enum(SEVERITIES as unknown as [Severity, ...Severity[]]);
const account = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');

const configSchema = z.looseObject({
  trusted: z
    .object({
      accounts: z.array(account).default([]),
      organizations: z
        .array(z.string().regex(/^o-[a-z0-9]{10,32}$/, 'must be an AWS Organizations id (o-...)'))
        .default([]),
      orgPaths: z.array(z.string().min(1)).default([]),
    })
    .strict()
    .optional(),
  rules: z
    .record(
      z.string(),
      z
        .object({
          enabled: z.boolean().optional(),
          severity: severity.optional(),
          params: z.record(z.string(), z.unknown()).optional(),
        })
        .strict(),
    )
    .optional(),
  notifications: z
    .object({ channels: z.array(channelConfigSchema).default([]) })
    .strict()
    .optional(),
  watch: z
    .object({
      alertOn: severity.optional(),
      notifyResolved: z.boolean().optional(),
      ransom: z
        .object({ threshold: z.number().int().min(2).optional(), windowMinutes: z.number().positive().optional() })
        .strict()
        .optional(),
      reconcileRegions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region name')).optional(),
    })
    .strict()
    .optional(),
});

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

/** Reads keywarden.yaml text; `where` names the file or location in the errors. */
export function parseWatchConfig(text: string, where: string): ConfigResult {
  let value: unknown;
  try {
    value = parse(text) ?? {};
  } catch (error) {
    return {
      ok: false,
      errors: [`${where}: not valid YAML (${error instanceof Error ? error.message : String(error)})`],
    };
  }
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map(
        (issue) => `${where}: ${issue.path.length ? issue.path.join('/') : '(root)'}: ${issue.message}`,
      ),
    };
  }
  const c = parsed.data;
  return {
    ok: true,
    value: {
      trusted: {
        accounts: c.trusted?.accounts ?? [],
        organizations: c.trusted?.organizations ?? [],
        orgPaths: c.trusted?.orgPaths ?? [],
      },
      rules: (c.rules ?? {}) as Record<string, RuleSetting>,
      channels: c.notifications?.channels ?? [],
      alertOn: c.watch?.alertOn ?? DEFAULT_ALERT_ON,
      notifyResolved: c.watch?.notifyResolved ?? true,
      ransom: {
        ...(c.watch?.ransom?.threshold !== undefined ? { threshold: c.watch.ransom.threshold } : {}),
        ...(c.watch?.ransom?.windowMinutes !== undefined ? { windowMinutes: c.watch.ransom.windowMinutes } : {}),
      },
      ...(c.watch?.reconcileRegions ? { reconcileRegions: c.watch.reconcileRegions } : {}),
    },
  };
}
