/**
 * The rule's InputParameters -> keywarden.yaml. Config sends them as one JSON object of (usually string) values:
 *
 * - `ConfigLocation`: `s3://bucket/key` or `ssm:/parameter/name` of a keywarden.yaml (default: the stack's
 *   ConfigLocation, in the CONFIG_LOCATION environment variable);
 * - `Config`: the keywarden.yaml itself, inline (YAML or JSON text, or an object);
 * - shortcuts added to the file's lists: `TrustedAccounts`, `TrustedOrganizations`, `Administrators`, `KeyUsers`,
 *   `ExemptAliases` (comma-separated), and `DisabledKeys` (report | fail | not-applicable).
 *
 * Anything else, or a value of the wrong kind, is an error: the rule then fails loudly and evaluates nothing.
 */
import { type ConfigError, type KeywardenConfig, parseConfigText, validateConfig } from '../../config';

export const PARAMETER_NAMES = [
  'ConfigLocation',
  'Config',
  'TrustedAccounts',
  'TrustedOrganizations',
  'Administrators',
  'KeyUsers',
  'ExemptAliases',
  'DisabledKeys',
] as const;

export interface RuleParameters {
  location?: string;
  inline?: string | Record<string, unknown>;
  /** The shortcuts, as a keywarden.yaml fragment. */
  overrides: Record<string, unknown>;
}

const LOCATION = /^(s3:\/\/[^/]+\/.+|ssm:\/.+)$/;
const csv = (value: string): string[] =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');

/** Reads the InputParameters object; errors name the parameter and what it takes. */
export function readRuleParameters(
  raw: Record<string, unknown>,
): { ok: true; value: RuleParameters } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const overrides: Record<string, unknown> = {};
  const value: RuleParameters = { overrides };
  for (const [name, given] of Object.entries(raw)) {
    if (!(PARAMETER_NAMES as readonly string[]).includes(name)) {
      errors.push(`unknown parameter ${name}: this rule takes ${PARAMETER_NAMES.join(', ')}`);
      continue;
    }
    if (given === '' || given === null || given === undefined) continue; // CloudFormation cannot omit a key
    if (name === 'Config') {
      if (typeof given === 'string' || (typeof given === 'object' && !Array.isArray(given)))
        value.inline = given as string | Record<string, unknown>;
      else errors.push('Config must be the keywarden.yaml text (YAML or JSON)');
      continue;
    }
    if (typeof given !== 'string') {
      errors.push(`${name} must be a string, got ${JSON.stringify(given)}`);
      continue;
    }
    switch (name) {
      case 'ConfigLocation':
        if (LOCATION.test(given)) value.location = given;
        else errors.push(`ConfigLocation must be s3://bucket/key or ssm:/parameter/name, got "${given}"`);
        break;
      case 'TrustedAccounts':
        overrides.trusted = { ...(overrides.trusted as object), accounts: csv(given) };
        break;
      case 'TrustedOrganizations':
        overrides.trusted = { ...(overrides.trusted as object), organizations: csv(given) };
        break;
      case 'Administrators':
        overrides.administrators = csv(given);
        break;
      case 'KeyUsers':
        overrides.keyUsers = csv(given);
        break;
      case 'ExemptAliases':
        overrides.exemptions = csv(given).map((alias) => ({ alias, reason: 'ExemptAliases rule parameter' }));
        break;
      case 'DisabledKeys':
        overrides.keys = { disabled: given };
        break;
    }
  }
  if (value.inline !== undefined && value.location !== undefined)
    errors.push('give either Config (inline) or ConfigLocation, not both');
  return errors.length ? { ok: false, errors } : { ok: true, value };
}

const SHORTCUT: Record<string, string> = {
  'trusted.accounts': 'TrustedAccounts',
  'trusted.organizations': 'TrustedOrganizations',
  administrators: 'Administrators',
  keyUsers: 'KeyUsers',
  exemptions: 'ExemptAliases',
  'keys.disabled': 'DisabledKeys',
};

const shortcutOf = (e: ConfigError): string => {
  const key = Object.keys(SHORTCUT).find(
    (k) => e.path === k || e.path.startsWith(`${k}[`) || e.path.startsWith(`${k}.`),
  );
  return key ? SHORTCUT[key]! : e.path;
};

/** keywarden.yaml text or value, validated; errors are `where:line:column: path: message`. */
export function configFrom(
  source: string | Record<string, unknown>,
  where: string,
): { ok: true; config: KeywardenConfig } | { ok: false; errors: string[] } {
  const result = typeof source === 'string' ? parseConfigText(source) : validateConfig(source);
  if (result.ok) return result;
  return {
    ok: false,
    errors: result.errors.map(
      (e) =>
        `${where}${e.line !== undefined ? `:${e.line}:${e.column ?? 1}` : ''}: ${e.path ? `${e.path}: ` : ''}${e.message}`,
    ),
  };
}

/** The file's config with the shortcuts added (lists joined, `keys.disabled` replaced). */
export function withOverrides(
  config: KeywardenConfig,
  overrides: Record<string, unknown>,
): { ok: true; config: KeywardenConfig } | { ok: false; errors: string[] } {
  const extra = validateConfig(overrides);
  if (!extra.ok) return { ok: false, errors: extra.errors.map((e) => `parameter ${shortcutOf(e)}: ${e.message}`) };
  const o = extra.config;
  const trusted = config.trusted ?? { accounts: [], organizations: [], orgPaths: [] };
  return {
    ok: true,
    config: {
      ...config,
      trusted: {
        accounts: [...trusted.accounts, ...(o.trusted?.accounts ?? [])],
        organizations: [...trusted.organizations, ...(o.trusted?.organizations ?? [])],
        orgPaths: trusted.orgPaths,
      },
      administrators: [...config.administrators, ...o.administrators],
      keyUsers: [...config.keyUsers, ...o.keyUsers],
      exemptions: [...config.exemptions, ...o.exemptions],
      ...(o.keys ? { keys: o.keys } : {}),
    },
  };
}
