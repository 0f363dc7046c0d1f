/**
 * A validated keywarden.yaml -> the engine's AnalysisOptions. The top-level `exemptions`, `administrators` and
 * `keyUsers` become the parameters of the rules exempt-key and admin-allowlist (joined with any `rules.<id>.params`
 * of the same rule); suppressions get a name and an expiry instant; the clock is injected.
 */
import type { Severity } from '../findings/types';
import { type AnalysisOptions, expiryDay, type RuleSetting, type Suppression } from '../rules/engine';
import type { Trusted } from '../rules/rule';
import type { KeywardenConfig } from './schema';

/** `2026-06-30` -> the instant that day ends (UTC); an ISO date-time as written. */
export function expiryInstant(expires: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(expires))
    return new Date(Date.parse(`${expires}T00:00:00Z`) + 86_400_000).toISOString();
  return new Date(Date.parse(expires)).toISOString();
}

export function suppressionsOf(config: KeywardenConfig): Suppression[] {
  return config.suppressions.map((s, index) => ({
    ...(s.id !== undefined ? { id: s.id } : {}),
    ...(s.rule !== undefined ? { rule: s.rule } : {}),
    ...(s.resource !== undefined ? { resource: s.resource } : {}),
    reason: s.reason,
    owner: s.owner,
    expires: expiryInstant(s.expires),
    name: `suppressions[${index}]`,
  }));
}

type Params = Record<string, unknown>;
const list = (params: Params | undefined, key: string): unknown[] =>
  Array.isArray(params?.[key]) ? (params?.[key] as unknown[]) : [];

function ruleSettings(config: KeywardenConfig): Record<string, RuleSetting> {
  const settings: Record<string, RuleSetting> = {};
  for (const [id, value] of Object.entries(config.rules ?? {})) {
    if (!value) continue;
    const setting = value as { enabled?: boolean; severity?: string; params?: Params };
    settings[id] = {
      ...(setting.enabled !== undefined ? { enabled: setting.enabled } : {}),
      ...(setting.severity !== undefined ? { severity: setting.severity as Severity } : {}),
      ...(setting.params !== undefined ? { params: setting.params } : {}),
    };
  }
  const exempt = settings['exempt-key'] ?? {};
  settings['exempt-key'] = {
    ...exempt,
    params: { ...exempt.params, exemptions: [...config.exemptions, ...list(exempt.params, 'exemptions')] },
  };
  const admin = settings['admin-allowlist'] ?? {};
  settings['admin-allowlist'] = {
    ...admin,
    params: {
      ...admin.params,
      administrators: [...config.administrators, ...list(admin.params, 'administrators')],
      keyUsers: [...config.keyUsers, ...list(admin.params, 'keyUsers')],
    },
  };
  return settings;
}

export function trustedOf(config: KeywardenConfig): Trusted {
  return {
    accounts: (config.trusted?.accounts ?? []).map(String),
    organizations: config.trusted?.organizations ?? [],
    orgPaths: config.trusted?.orgPaths ?? [],
  };
}

/** The engine's options from a validated config, judged at `now`. */
export function toAnalysisOptions(config: KeywardenConfig, now: Date): AnalysisOptions {
  return {
    trusted: trustedOf(config),
    rules: ruleSettings(config),
    suppressions: suppressionsOf(config),
    now: now.toISOString(),
    disabledKeys: config.keys?.disabled ?? 'report',
  };
}

/** The command-line trust flags add to the file's trusted accounts and organizations. */
export function withTrustFlags(
  options: AnalysisOptions,
  flags: { accounts?: readonly string[]; organizations?: readonly string[] },
): AnalysisOptions {
  const union = (a: readonly string[], b: readonly string[] = []) => [...new Set([...a, ...b])];
  return {
    ...options,
    trusted: {
      ...options.trusted,
      accounts: union(options.trusted.accounts, flags.accounts),
      organizations: union(options.trusted.organizations, flags.organizations),
    },
  };
}

/** Things worth saying about a valid file: suppressions already expired at `now`. */
export function configWarnings(config: KeywardenConfig, now: Date): string[] {
  return suppressionsOf(config)
    .filter((s) => Date.parse(s.expires) <= now.getTime())
    .map(
      (s) =>
        `${s.name} (owner ${s.owner}) expired on ${expiryDay(s.expires)}: it no longer suppresses anything; renew or remove it`,
    );
}
