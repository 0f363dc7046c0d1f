/**
 * The IAM side as a use case: bilateral access of analysed keys (src/kms/bilateral.ts) for `explain --aws` and
 * `scan --aws --iam`, and the two ways it reaches a scan's output without the format sinks knowing about it: an
 * `iam` field per key of the JSON report (schemas/report.v1.json) and one line per key under its table header.
 */
import type { KeyReport, RunSummary } from '../findings/report';
import type { AccessMap } from '../kms/access-map';
import { evaluateBilateral } from '../kms/bilateral';
import { reachUnderRcps } from '../kms/bilateral-reach';
import {
  type AccountIamInput,
  type BilateralAccess,
  type BilateralKeyInput,
  type BilateralOptions,
  createBilateralCache,
  type IamAccessClass,
  type RcpReach,
} from '../kms/bilateral-types';
import { explainIamAccess } from '../kms/explain-iam';
import type { Gap, KeySnapshot } from '../kms/snapshot';
import type { Sink } from '../sinks/sink';

export interface IamSide {
  bilateral?: BilateralAccess;
  /** How RCPs change the key's reach (with --org), when they apply. */
  reach?: RcpReach;
  /** Why nothing could be evaluated (the key policy was not read). */
  unknown?: string;
}

/** The accounts worth evaluating for a key: its own, the outside accounts it names, all of them for `"*"`. */
function relevantAccounts(access: AccessMap, account: string, accounts: readonly AccountIamInput[]) {
  if (access.principals.some((p) => p.principal === '*')) return accounts;
  const named = new Set([account, ...access.externalAccounts, ...access.principals.map((p) => p.account ?? '')]);
  return accounts.filter((a) => named.has(a.account));
}

/** Bilateral access and RCP reach of one analysed key. */
export function iamSideOf(
  report: { key: KeySnapshot; access: AccessMap },
  accounts: readonly AccountIamInput[],
  options: BilateralOptions = {},
): IamSide {
  const { key } = report;
  if (!key.policy.ok) return { unknown: `the key policy could not be read (${key.policy.reason})` };
  const input: BilateralKeyInput = {
    arn: key.arn,
    account: key.account,
    policy: key.policy.value,
    awsManaged: key.metadata.ok && key.metadata.value.KeyManager === 'AWS',
    ...(key.grants.ok ? { grants: key.grants.value } : { grantsUnknown: key.grants.reason }),
  };
  const opts: BilateralOptions = {
    ...options,
    organizationAccounts: options.organizationAccounts ?? accounts.filter((a) => a.organization).map((a) => a.account),
  };
  const own = accounts.find((a) => a.account === key.account);
  const reach = reachUnderRcps(input, report.access, own, opts);
  return {
    bilateral: evaluateBilateral(input, relevantAccounts(report.access, key.account, accounts), opts),
    ...(reach ? { reach } : {}),
  };
}

/** The explanation lines of the IAM side (after src/kms/explain.ts's key-policy lines). */
export function explainIamSide(side: IamSide): string[] {
  if (!side.bilateral) return ['', `IAM side: UNKNOWN: ${side.unknown}.`];
  return explainIamAccess(side.bilateral, side.reach);
}

/** The `iam` field of a key in the JSON report. */
export function iamJson(side: IamSide): Record<string, unknown> {
  if (!side.bilateral) return { status: 'unknown', unknownReason: side.unknown, checked: 0, principals: [], notes: [] };
  const { status, unknownReason, checked, principals, notes } = side.bilateral;
  return {
    status,
    ...(unknownReason ? { unknownReason } : {}),
    checked,
    principals,
    notes,
    ...(side.reach ? { reachUnderRcps: side.reach } : {}),
  };
}

const CLASS_WORD: Record<IamAccessClass, string> = { use: 'use', admin: 'admin', grant: 'grants', policy: 'policy' };

function names(list: readonly string[]): string {
  return list.length > 3 ? `${list.slice(0, 3).join(', ')} +${list.length - 3}` : list.join(', ');
}

/** One line for the table: who can do what, through the IAM side. */
export function iamLine(side: IamSide): string {
  const b = side.bilateral;
  if (!b) return `IAM: unknown: ${side.unknown}`;
  if (b.status === 'unknown') return `IAM: unknown: ${b.unknownReason}`;
  const label = (p: BilateralAccess['principals'][number]) => (p.external ? p.principal : p.name);
  const parts: string[] = [];
  for (const cls of ['use', 'admin', 'grant', 'policy'] as const) {
    const who = b.principals.filter((p) => (p.access[cls]?.actions.length ?? 0) > 0).map(label);
    parts.push(`${CLASS_WORD[cls]} ${who.length}${who.length ? ` (${names(who)})` : ''}`);
  }
  const unknown = b.principals.filter((p) => Object.values(p.access).some((a) => a && a.unknownActions.length > 0));
  const line = [`IAM (${b.checked} users and roles): ${parts.join('; ')}`];
  if (unknown.length) line.push(`unknown ${unknown.length} (${names(unknown.map(label))})`);
  if (side.reach && side.reach.after !== side.reach.before)
    line.push(`RCPs: ${side.reach.before} -> ${side.reach.after}`);
  return line.join('; ');
}

/** What a scan adds to one key's output: JSON fields and table lines. */
export interface KeyExtras {
  json: Record<string, unknown>;
  lines: string[];
}

/**
 * A sink that computes extras per key as the reports arrive; `extras` is read after the run. Extras of the same key
 * from several producers are merged (JSON fields side by side, lines in producer order).
 */
export function keyExtrasSink(producers: Array<(report: KeyReport) => KeyExtras | undefined>) {
  const extras = new Map<string, KeyExtras>();
  const sink: Sink = {
    async write(report: KeyReport) {
      for (const produce of producers) {
        const e = produce(report);
        if (!e) continue;
        const seen = extras.get(report.key.arn) ?? { json: {}, lines: [] };
        extras.set(report.key.arn, { json: { ...seen.json, ...e.json }, lines: [...seen.lines, ...e.lines] });
      }
    },
    async gap(_gap: Gap) {},
    async close(): Promise<RunSummary> {
      return { keys: 0, findings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, unknown: 0, gaps: 0 };
    },
  };
  return { sink, extras };
}

/** Producer of the IAM side for `scan --aws --iam`. */
export function iamExtras(
  accounts: readonly AccountIamInput[],
  options: BilateralOptions = {},
  sides?: Map<string, IamSide>,
): (report: KeyReport) => KeyExtras {
  const shared = { ...options, cache: options.cache ?? createBilateralCache() }; // one run, many keys
  return (report) => {
    const side = iamSideOf(report, accounts, shared);
    sides?.set(report.key.arn, side);
    return { json: { iam: iamJson(side) }, lines: [iamLine(side)] };
  };
}

/** Adds each key's extra fields to a `keywarden.report/v1` JSON text (keys matched by ARN). */
export function addToJsonReport(text: string, extras: ReadonlyMap<string, KeyExtras>): string {
  const report = JSON.parse(text) as { keys: Array<Record<string, unknown>> };
  report.keys = report.keys.map((k) => {
    const e = extras.get(String(k.arn));
    return e ? { ...k, ...e.json } : k;
  });
  return `${JSON.stringify(report, null, 2)}\n`;
}

const keyIdOf = (arn: string): string => /:key\/(.+)$/.exec(arn)?.[1] ?? arn;
const placeOf = (arn: string): string => {
  const [, , , region, account] = arn.split(':');
  return `${account}/${region}`;
};

/**
 * Inserts each key's lines under the table line that names it (`key ID  ACCOUNT/REGION`); keys whose line is not
 * found get their lines in a block before the totals, so nothing is dropped.
 */
export function addToTable(text: string, extras: ReadonlyMap<string, KeyExtras>): string {
  const lines = text.split('\n');
  const missing: string[] = [];
  for (const [arn, e] of extras) {
    if (e.lines.length === 0) continue;
    const id = `key ${keyIdOf(arn)}`;
    const place = placeOf(arn);
    const at = lines.findIndex((l) => l.includes(id) && l.includes(place));
    const indent = at >= 0 && lines[at]!.startsWith('  ') ? '        ' : '  ';
    const block = e.lines.map((l) => `${indent}${l}`);
    if (at >= 0) lines.splice(at + 1, 0, ...block);
    else missing.push(`  ${arn}`, ...e.lines.map((l) => `    ${l}`));
  }
  if (missing.length > 0) {
    const totals = lines.findIndex((l) => l.includes('Total: '));
    lines.splice(totals >= 0 ? totals : lines.length, 0, 'IAM side and cross-checks', ...missing, '');
  }
  return lines.join('\n');
}

/** What `explain --aws KEY` was given: a key or alias ARN (region and account from it), a key id, or an alias. */
export function parseKeyReference(ref: string): { region?: string; account?: string } | undefined {
  const arn = /^arn:[\w-]+:kms:([a-z0-9-]+):(\d{12}):(key\/.+|alias\/.+)$/.exec(ref);
  if (arn) return { region: arn[1], account: arn[2] };
  if (/^alias\/[\w/+=,.@-]+$/.test(ref) || /^(mrk-)?[0-9a-f-]{32,36}$/.test(ref)) return {};
  return undefined;
}

/** Does this key answer to `ref` (ARN, key id, alias name or alias ARN)? */
export function keyMatches(key: KeySnapshot, ref: string): boolean {
  if (key.arn === ref || keyIdOf(key.arn) === ref) return true;
  const alias = ref.startsWith('arn:') ? /:(alias\/.+)$/.exec(ref)?.[1] : ref;
  if (ref.startsWith('arn:') && placeOf(ref) !== placeOf(key.arn)) return false;
  return alias !== undefined && key.aliases.ok && key.aliases.value.includes(alias);
}
