/**
 * Reading inputs into KeySnapshots (pure: text in, snapshots and located errors out).
 * Two inputs: a `keywarden.snapshot/v1` record, and a bare key policy.
 */
import { parsePolicyText } from '../policy';
import type { Location, ParsedPolicy } from '../policy/types';
import { type Known, known, NOT_CARRIED, unknown } from './known';
import type { Grant, KeyMetadata, KeySnapshot } from './snapshot';
import { type ApiError, isApiError, SNAPSHOT_FORMAT } from './snapshot-format';

export interface InputError {
  message: string;
  pointer: string;
  line?: number;
  column?: number;
}

export type ReadResult = { snapshot: KeySnapshot; errors: InputError[] };

const ACCOUNT_ID = /^\d{12}$/;

/** Is this parsed JSON value a keywarden snapshot, a bare key policy, or neither? */
export function recogniseInput(value: unknown): 'snapshot' | 'policy' | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.format === 'string' && v.format.startsWith('keywarden.snapshot/')) return 'snapshot';
  if ('Statement' in v && ('Version' in v || 'Id' in v || Object.keys(v).length <= 3)) return 'policy';
  return undefined;
}

/** ISO string from an ISO string or epoch seconds (the AWS CLI prints either, depending on its settings). */
export function isoDate(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return epochSecondsIso(value);
  if (typeof value === 'string' && value !== '') {
    if (/^\d+(\.\d+)?$/.test(value)) return epochSecondsIso(Number(value));
    const canonical = canonicalIso(value);
    if (canonical !== undefined) return canonical;
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : new Date(t).toISOString();
  }
  return undefined;
}

/** The latest instant `YYYY-MM-DDTHH:mm:ss.sssZ` can write with a four-digit year. */
const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;
const DAY_MS = 86_400_000;

/** `new Date(seconds * 1000).toISOString()`, by arithmetic for the usual range (Date is slow to build and print). */
function epochSecondsIso(seconds: number): string {
  const ms = Math.trunc(seconds * 1000);
  if (!(ms >= 0 && ms <= LAST_FOUR_DIGIT_YEAR_MS)) return new Date(seconds * 1000).toISOString();
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  // Days since 1970-01-01 to a civil date (proleptic Gregorian; H. Hinnant's algorithm).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(milli, 3)}Z`;
}

const pad = (n: number, width: number): string =>
  width === 2 ? (n < 10 ? `0${n}` : `${n}`) : String(n).padStart(width, '0');

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{3})?Z$/;

/** A valid `YYYY-MM-DDTHH:mm:ss[.sss]Z` as toISOString prints it; undefined for anything Date.parse must judge. */
function canonicalIso(value: string): string | undefined {
  const m = ISO_UTC.exec(value);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return undefined;
  return m[7] === undefined ? `${value.slice(0, 19)}.000Z` : value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const describeError = (e: ApiError): string => `${e.error.code}: ${e.error.message}`;

type Locate = (pointer: string) => Location | undefined;

function apiField<T>(
  raw: Record<string, unknown>,
  field: string,
  errors: InputError[],
  locate: Locate,
  read: (value: Record<string, unknown>, pointer: string) => T | InputError,
  absent: Known<T>,
): Known<T> {
  const value = raw[field];
  const pointer = `/${field}`;
  if (value === undefined) return absent;
  if (isApiError(value)) return unknown(`${field} failed: ${describeError(value)}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const error = { message: `${field} must be an object as \`aws kms\` prints it`, pointer, ...locate(pointer) };
    errors.push(error);
    return unknown(error.message);
  }
  const result = read(value as Record<string, unknown>, pointer);
  if (typeof result === 'object' && result !== null && 'message' in result && 'pointer' in result) {
    const error = { ...(result as InputError), ...locate((result as InputError).pointer) };
    errors.push(error);
    return unknown(error.message);
  }
  return known(result as T);
}

function readMetadata(v: Record<string, unknown>, pointer: string): KeyMetadata | InputError {
  const m = v.KeyMetadata;
  if (typeof m !== 'object' || m === null) return { message: 'DescribeKey has no KeyMetadata object', pointer };
  const md = m as Record<string, unknown>;
  if (typeof md.KeyId !== 'string' || typeof md.Arn !== 'string') {
    return { message: 'KeyMetadata needs KeyId and Arn strings', pointer: `${pointer}/KeyMetadata` };
  }
  const metadata = copyOf(md) as unknown as KeyMetadata;
  metadata.DeletionDate = isoDate(md.DeletionDate);
  metadata.CreationDate = isoDate(md.CreationDate);
  return metadata;
}

/**
 * `{ ...value }`: Object.assign builds the same object several times faster when keys are then overwritten (V8's
 * spread takes a slow path there); an own `__proto__` key (JSON can carry one) keeps spread's exact semantics.
 */
function copyOf(value: Record<string, unknown>): Record<string, unknown> {
  if (Object.hasOwn(value, '__proto__')) return { ...value };
  return Object.assign({}, value);
}

function readGrants(v: Record<string, unknown>, pointer: string): Grant[] | InputError {
  if (!Array.isArray(v.Grants)) return { message: 'ListGrants needs a Grants array', pointer: `${pointer}/Grants` };
  const grants: Grant[] = [];
  for (let i = 0; i < v.Grants.length; i++) {
    const g: unknown = v.Grants[i];
    const p = `${pointer}/Grants/${i}`;
    if (typeof g !== 'object' || g === null) return { message: 'a grant must be an object', pointer: p };
    const grant = g as Record<string, unknown>;
    if (!Array.isArray(grant.Operations) || grant.Operations.some((o) => typeof o !== 'string')) {
      return { message: 'a grant needs an Operations array of strings', pointer: `${p}/Operations` };
    }
    const copy = copyOf(grant) as unknown as Grant;
    copy.GrantId = String(grant.GrantId ?? `#${i}`);
    copy.CreationDate = isoDate(grant.CreationDate);
    grants.push(copy);
  }
  return grants;
}

function readPolicy(v: Record<string, unknown>, pointer: string): ParsedPolicy | InputError {
  if (typeof v.Policy !== 'string')
    return { message: 'GetKeyPolicy needs Policy as a JSON string', pointer: `${pointer}/Policy` };
  const parsed = parsePolicyText(v.Policy);
  if (!parsed.ok) {
    const first = parsed.errors[0]!;
    const where = first.line ? ` (line ${first.line}, column ${first.column} of the policy string)` : '';
    return { message: `key policy: ${first.message} at ${first.pointer || '/'}${where}`, pointer: `${pointer}/Policy` };
  }
  // Evidence pointers and positions of a snapshot's policy refer to the policy text itself.
  return parsed.policy;
}

/** Reads a `keywarden.snapshot/v1` record. `locate` maps a pointer in the record to its line/column in the file. */
export function readSnapshotRecord(
  value: unknown,
  origin: KeySnapshot['origin'],
  locate: Locate = () => undefined,
): ReadResult {
  const errors: InputError[] = [];
  const raw = value as Record<string, unknown>;
  if (raw.format !== SNAPSHOT_FORMAT) {
    errors.push({
      message: `unsupported snapshot format ${JSON.stringify(raw.format)} (this keywarden reads ${SNAPSHOT_FORMAT})`,
      pointer: '/format',
      ...locate('/format'),
    });
  }
  for (const field of ['account', 'region'] as const) {
    if (typeof raw[field] !== 'string' || raw[field] === '') {
      errors.push({ message: `"${field}" must be a non-empty string`, pointer: `/${field}`, ...locate(`/${field}`) });
    }
  }
  if (typeof raw.account === 'string' && !ACCOUNT_ID.test(raw.account)) {
    errors.push({
      message: `"account" must be a 12-digit AWS account id, got ${JSON.stringify(raw.account)}`,
      pointer: '/account',
      ...locate('/account'),
    });
  }
  const account = typeof raw.account === 'string' ? raw.account : 'unknown';
  const region = typeof raw.region === 'string' ? raw.region : 'unknown';

  const metadata = apiField(
    raw,
    'DescribeKey',
    errors,
    locate,
    readMetadata,
    unknown<KeyMetadata>('DescribeKey missing from the snapshot'),
  );
  const arn = metadata.ok
    ? metadata.value.Arn
    : typeof (raw.DescribeKey as { KeyMetadata?: { Arn?: unknown } } | undefined)?.KeyMetadata?.Arn === 'string'
      ? String((raw.DescribeKey as { KeyMetadata: { Arn: string } }).KeyMetadata.Arn)
      : `arn:aws:kms:${region}:${account}:key/${origin.file ?? 'unknown'}`;

  const policy = apiField<ParsedPolicy>(
    raw,
    'GetKeyPolicy',
    errors,
    locate,
    readPolicy,
    unknown('GetKeyPolicy missing from the snapshot'),
  );
  const grants = apiField(
    raw,
    'ListGrants',
    errors,
    locate,
    readGrants,
    unknown<Grant[]>('ListGrants missing from the snapshot'),
  );
  const aliases = apiField<string[]>(
    raw,
    'ListAliases',
    errors,
    locate,
    (v, p) =>
      Array.isArray(v.Aliases)
        ? aliasNames(v.Aliases as Array<{ AliasName?: unknown }>)
        : { message: 'ListAliases needs an Aliases array', pointer: `${p}/Aliases` },
    known<string[]>([]),
  );
  const tags = apiField<Record<string, string>>(
    raw,
    'ListResourceTags',
    errors,
    locate,
    (v, p) =>
      Array.isArray(v.Tags)
        ? tagsOf(v.Tags as Array<{ TagKey: unknown; TagValue: unknown }>)
        : { message: 'ListResourceTags needs a Tags array', pointer: `${p}/Tags` },
    known<Record<string, string>>({}),
  );
  const rotation = apiField<boolean>(
    raw,
    'GetKeyRotationStatus',
    errors,
    locate,
    (v, p) =>
      typeof v.KeyRotationEnabled === 'boolean'
        ? v.KeyRotationEnabled
        : {
            message: 'GetKeyRotationStatus needs KeyRotationEnabled true or false',
            pointer: `${p}/KeyRotationEnabled`,
          },
    unknown<boolean>(NOT_CARRIED),
  );
  return {
    snapshot: {
      arn,
      account,
      region,
      metadata,
      aliases,
      tags,
      policy,
      grants,
      rotation,
      collectedAt: isoDate(raw.collectedAt) ?? '1970-01-01T00:00:00.000Z',
      origin,
    },
    errors,
  };
}

/** Alias names, empty ones left out. */
function aliasNames(aliases: ReadonlyArray<{ AliasName?: unknown }>): string[] {
  const names: string[] = [];
  for (const a of aliases) {
    const name = String(a.AliasName ?? '');
    if (name !== '') names.push(name);
  }
  return names;
}

/** Tags as a record, as Object.fromEntries builds it (a later duplicate wins; "__proto__" is an own key). */
function tagsOf(tags: ReadonlyArray<{ TagKey: unknown; TagValue: unknown }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags) {
    const key = String(t.TagKey);
    const value = String(t.TagValue ?? '');
    if (key === '__proto__')
      Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}

/** Accounts whose root a policy names (`arn:aws:iam::ID:root` or a bare id). */
function rootAccounts(policy: ParsedPolicy): string[] {
  const found = new Set<string>();
  for (const s of policy.statements) {
    for (const entry of s.principal?.aws ?? []) {
      const m = /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(entry) ?? /^(\d{12})$/.exec(entry);
      if (m) found.add(m[1]!);
    }
  }
  return [...found];
}

export interface BarePolicyOptions {
  account?: string;
  region?: string;
  /** Stable name of the key: the file name without extension. */
  name: string;
  collectedAt: string;
}

/** Reads a bare key policy. Its owner is `account`, else the one account whose root it names, else an error. */
export function readBarePolicy(
  text: string,
  origin: KeySnapshot['origin'],
  options: BarePolicyOptions,
): ReadResult | { error: InputError } {
  const parsed = parsePolicyText(text);
  if (!parsed.ok) {
    const e = parsed.errors[0]!;
    return { error: { message: e.message, pointer: e.pointer, line: e.line, column: e.column } };
  }
  return fromPolicy(parsed.policy, origin, options);
}

export function fromPolicy(
  policy: ParsedPolicy,
  origin: KeySnapshot['origin'],
  options: BarePolicyOptions,
): ReadResult | { error: InputError } {
  let account = options.account;
  if (!account) {
    const roots = rootAccounts(policy);
    if (roots.length !== 1) {
      return {
        error: {
          message:
            roots.length === 0
              ? 'cannot tell which account owns this key policy (it names no account root): pass --account ID'
              : `cannot tell which account owns this key policy (it names the roots of ${roots.join(', ')}): pass --account ID`,
          pointer: '',
        },
      };
    }
    account = roots[0]!;
  }
  const region = options.region ?? 'unknown';
  return {
    snapshot: {
      arn: `arn:aws:kms:${region}:${account}:key/${options.name}`,
      account,
      region,
      metadata: unknown(NOT_CARRIED),
      aliases: unknown(NOT_CARRIED),
      tags: unknown(NOT_CARRIED),
      policy: known(policy),
      grants: unknown(NOT_CARRIED),
      rotation: unknown(NOT_CARRIED),
      collectedAt: options.collectedAt,
      origin,
    },
    errors: [],
  };
}
