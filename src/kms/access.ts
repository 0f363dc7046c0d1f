/**
 * Access analysis of one key: reach (public / cross-account / internal), the outside accounts that get access,
 * and who can do what, from the key policy and grants. Semantics: ../shared/corpus/key-policies/README.md,
 * extensions in docs/access-analysis.md.
 *
 * Method: probe callers (anonymous, a caller of an account nobody names, every named principal and account) against
 * the policy; for each Allow statement that covers a probe, ask whether some request context satisfies its
 * conditions while escaping every Deny that covers the same action (src/kms/satisfy.ts).
 *
 * Speed (docs/PERFORMANCE.md): probes are built once per (account, caller) and reused across keys; each probe's
 * access is computed once per key; statements without conditions and without a Deny that covers them need no
 * satisfiability search.
 */
import { type Caller, normalisePrincipal, parseCaller, principalMatches, wildcardMatch } from '../policy';
import type { Condition, ContextValue, ParsedPolicy, Statement } from '../policy/types';
import type { AccessMap, AccessPath, PrincipalAccess, PrincipalKind, Reach } from './access-map';
import {
  ALL_KEY_ACTIONS,
  actionsMask,
  actionsOf,
  CROSS_ACCOUNT_MASK,
  classesOfMask,
  type Mask,
  statementMask,
} from './action-mask';
import { grantStatements, isGrantStatement } from './grants';
import { hasVariable, lowerKey, PIN_KEYS, satisfy } from './satisfy';
import type { Grant } from './snapshot';
import { separationOfDuties } from './sod';

export interface AccessInput {
  account: string;
  keyArn?: string;
  policy: ParsedPolicy;
  grants?: readonly Grant[];
}

const ACCOUNT_ID = /^\d{12}$/;

/** The account an ARN, account id or account root names. */
export function accountOf(entry: string): string | undefined {
  if (entry.length === 12 && ACCOUNT_ID.test(entry)) return entry;
  return arnAccount(entry);
}

/**
 * The account field of `arn:PARTITION:iam|sts::ACCOUNT:RESOURCE` (partition of word characters and `-`, ACCOUNT and
 * RESOURCE not empty, RESOURCE without line breaks): /^arn:([\w-]+):(iam|sts)::([^:]+):(.+)$/ without the regex.
 */
function arnAccount(entry: string): string | undefined {
  if (!entry.startsWith('arn:')) return undefined;
  const partitionEnd = entry.indexOf(':', 4);
  if (partitionEnd <= 4) return undefined;
  for (let i = 4; i < partitionEnd; i++) if (!isWordOrDash(entry.charCodeAt(i))) return undefined;
  const service = entry.slice(partitionEnd + 1, partitionEnd + 4);
  if ((service !== 'iam' && service !== 'sts') || entry.charCodeAt(partitionEnd + 4) !== 58) return undefined;
  if (entry.charCodeAt(partitionEnd + 5) !== 58) return undefined;
  const accountStart = partitionEnd + 6;
  const accountEnd = entry.indexOf(':', accountStart);
  if (accountEnd <= accountStart || accountEnd === entry.length - 1) return undefined;
  for (let i = accountEnd + 1; i < entry.length; i++) if (isLineBreak(entry.charCodeAt(i))) return undefined;
  return entry.slice(accountStart, accountEnd);
}

const isWordOrDash = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
const isLineBreak = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

const isAccountEntry = (entry: string): boolean => ACCOUNT_ID.test(entry) || /^arn:[\w-]+:iam::[^:]+:root$/.test(entry);

interface Probe {
  caller: string;
  /** Stands for any principal of this account (its ARN is free within the account). */
  anyOf: string | undefined;
  account: string | undefined;
  external: boolean;
  anonymous: boolean;
  /** Principal-derived context keys (lower-case); undefined = absent. */
  fixed: Readonly<Record<string, ContextValue | undefined>>;
  /** The caller, classified once. */
  who: Caller;
}

const SERVICE = /\.amazonaws\.com(\.cn)?$/;

function makeProbe(caller: string, ownAccount: string): Probe {
  if (caller === '*') {
    return {
      caller,
      anyOf: undefined,
      account: undefined,
      external: true,
      anonymous: true,
      // Keys present only on requests an AWS service makes for a resource are absent, as every principal key.
      fixed: {
        'aws:sourceaccount': undefined,
        'aws:sourcearn': undefined,
        'aws:sourceorgid': undefined,
        'aws:sourceorgpaths': undefined,
        'aws:principalaccount': undefined,
        'kms:calleraccount': undefined,
        'aws:principalarn': undefined,
        'aws:principalorgid': undefined,
        'aws:principalorgpaths': undefined,
        'aws:userid': undefined,
        'aws:principaltype': 'Anonymous',
      },
      who: parseCaller(caller),
    };
  }
  if (SERVICE.test(caller)) {
    return {
      caller,
      anyOf: undefined,
      account: undefined,
      external: false,
      anonymous: false,
      fixed: {
        'aws:principalaccount': undefined,
        'kms:calleraccount': undefined,
        'aws:principalarn': undefined,
        'aws:principalservicename': caller,
        'aws:principalisawsservice': 'true',
      },
      who: parseCaller(caller),
    };
  }
  const account = accountOf(caller);
  const arn = ACCOUNT_ID.test(caller) ? `arn:aws:iam::${caller}:root` : caller;
  const generic = account !== undefined && arn === genericPrincipal(account);
  // Source keys are absent when a principal calls for itself (not a service acting for a resource).
  const fixed: Record<string, ContextValue | undefined> = generic
    ? {
        'aws:sourceaccount': undefined,
        'aws:sourcearn': undefined,
        'aws:sourceorgid': undefined,
        'aws:sourceorgpaths': undefined,
        'aws:principalaccount': account,
        'kms:calleraccount': account,
        'aws:principalisawsservice': 'false',
      }
    : {
        'aws:sourceaccount': undefined,
        'aws:sourcearn': undefined,
        'aws:sourceorgid': undefined,
        'aws:sourceorgpaths': undefined,
        'aws:principalaccount': account,
        'kms:calleraccount': account,
        'aws:principalarn': arn,
        'aws:principalisawsservice': 'false',
      };
  return {
    caller: arn,
    anyOf: generic ? account : undefined,
    account,
    external: account !== ownAccount,
    anonymous: false,
    fixed,
    who: parseCaller(arn),
  };
}

/** Probes are pure functions of (caller, owning account): built once, shared by every key of the account. */
const probes = new Map<string, Map<string, Probe>>();
let probeCount = 0;

function probeFor(caller: string, ownAccount: string): Probe {
  let ofAccount = probes.get(ownAccount);
  if (ofAccount === undefined) {
    if (probeCount >= 10_000) {
      probes.clear();
      probeCount = 0;
    }
    ofAccount = new Map();
    probes.set(ownAccount, ofAccount);
  }
  let probe = ofAccount.get(caller);
  if (probe === undefined) {
    probe = makeProbe(caller, ownAccount);
    ofAccount.set(caller, probe);
    probeCount++;
  }
  return probe;
}

/** A principal of `account` that no statement names: stands for "any principal of that account". */
const genericPrincipal = (account: string): string => `arn:aws:iam::${account}:role/AnyRole`;

const generics = new Map<string, Map<string, Probe>>();

/** The probe of any principal of `account`, found by account (no ARN to build and hash for each key). */
function genericProbe(account: string, ownAccount: string): Probe {
  let ofAccount = generics.get(ownAccount);
  if (ofAccount === undefined) {
    if (generics.size >= 1000) generics.clear();
    ofAccount = new Map();
    generics.set(ownAccount, ofAccount);
  }
  let probe = ofAccount.get(account);
  if (probe === undefined) {
    probe = probeFor(genericPrincipal(account), ownAccount);
    if (ofAccount.size >= 10_000) ofAccount.clear();
    ofAccount.set(account, probe);
  }
  return probe;
}

interface Prepared {
  account: string;
  keyArn?: string;
  statements: Statement[];
  masks: Mask[];
  /** Indexes of the Allow and of the Deny statements. */
  allows: number[];
  denies: number[];
  /** allowedFor results by probe: a short list (a few probes per key: cheaper than hashing caller ARNs)... */
  computed: Array<{ probe: Probe; restricted: boolean; granted: Granted }>;
  /** ...and by caller (unrestricted, restricted), once a policy names many principals. */
  byCaller: [Map<string, Granted>, Map<string, Granted>] | undefined;
  /** solve() answers: the mentioned part of a satisfying context, or false. */
  solutions: Map<string, Record<string, ContextValue> | false> | undefined;
}

function prepare(input: AccessInput): Prepared {
  const statements: Statement[] = [];
  for (const s of input.policy.statements) if (resourceCoversKey(s, input.keyArn)) statements.push(s);
  const policyCount = statements.length;
  if (input.grants && input.grants.length > 0)
    for (const s of grantStatements(input.grants)) if (resourceCoversKey(s, input.keyArn)) statements.push(s);
  const masks: Mask[] = new Array(statements.length);
  const allows: number[] = [];
  const denies: number[] = [];
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i]!;
    // Grant statements are made afresh for each key: their masks are not worth remembering per statement.
    masks[i] = i < policyCount ? statementMask(s) : actionsMask(s.action ?? []);
    if (s.effect === 'Allow') allows.push(i);
    else if (s.effect === 'Deny') denies.push(i);
  }
  return {
    account: input.account,
    keyArn: input.keyArn,
    statements,
    masks,
    allows,
    denies,
    computed: [],
    byCaller: undefined,
    solutions: undefined,
  };
}

function resourceCoversKey(s: Statement, keyArn: string | undefined): boolean {
  if (s.resource) {
    for (const r of s.resource)
      if (
        r === '*' ||
        (keyArn !== undefined && wildcardMatch(r, keyArn, false)) ||
        (keyArn === undefined && r.includes(':key/'))
      )
        return true;
    return false;
  }
  if (s.notResource) {
    for (const r of s.notResource)
      if (r === '*' || (keyArn !== undefined && wildcardMatch(r, keyArn, false))) return false;
    return true;
  }
  return true;
}

interface Grantee {
  mask: Mask;
  conditional: boolean;
  context: Record<string, ContextValue>;
}

interface Granted {
  mask: Mask;
  /** The statements that gave something, in the order they were found. */
  order: number[];
  /** By statement index: the actions it granted, whether it needed conditions, and a context that proves it. */
  by: Array<Grantee | undefined>;
}

/** Records what statement `i` gives (Map.set semantics: a statement keeps its first place in `order`). */
function give(granted: Granted, i: number, given: Grantee): void {
  if (granted.by[i] === undefined) granted.order.push(i);
  granted.by[i] = given;
}

const emptyGranted = (): Granted => ({ mask: 0n, order: [], by: [] });

/**
 * The key actions `probe` can be allowed, per Allow statement, after every Deny (each Allow statement is judged on
 * its own, so the access a subset of statements gives is the union of their parts). Cached per probe.
 * `restricted`: the probe cannot meet pins (public test).
 */
function allowedFor(p: Prepared, probe: Probe, restricted: boolean): Granted {
  if (p.byCaller !== undefined) {
    const cache = p.byCaller[restricted ? 1 : 0];
    let granted = cache.get(probe.caller);
    if (granted === undefined) {
      granted = computeAllowed(p, probe, restricted);
      cache.set(probe.caller, granted);
    }
    return granted;
  }
  for (const c of p.computed) if (c.probe.caller === probe.caller && c.restricted === restricted) return c.granted;
  const granted = computeAllowed(p, probe, restricted);
  p.computed.push({ probe, restricted, granted });
  if (p.computed.length > SHORT_LIST) {
    p.byCaller = [new Map(), new Map()];
    for (const c of p.computed) p.byCaller[c.restricted ? 1 : 0].set(c.probe.caller, c.granted);
  }
  return granted;
}

const SHORT_LIST = 16;

/** No access (shared: allowedFor results are never changed). */
const NOTHING: Granted = emptyGranted();

/** The actions the statements in `only` give of a probe's access. */
function maskWithin(granted: Granted, only: readonly number[]): Mask {
  let mask = 0n;
  for (const i of granted.order) if (only.includes(i)) mask |= granted.by[i]!.mask;
  return mask;
}

/** The part of a probe's access that the statements in `only` give. */
function within(granted: Granted, only: readonly number[]): Granted {
  const out = emptyGranted();
  for (const i of granted.order) {
    if (!only.includes(i)) continue;
    const g = granted.by[i]!;
    out.mask |= g.mask;
    give(out, i, g);
  }
  return out;
}

const NO_DENIES: number[] = [];

function computeAllowed(p: Prepared, probe: Probe, restricted: boolean): Granted {
  const caller = probe.who;
  const limit = probe.external ? CROSS_ACCOUNT_MASK : ALL_KEY_ACTIONS;
  // The Allow statements that take in the caller; most probes of most policies find none.
  let allows: number[] | undefined;
  for (const i of p.allows) {
    if (!principalMatches(p.statements[i]!, caller) || (p.masks[i]! & limit) === 0n) continue;
    allows ??= [];
    allows.push(i);
  }
  if (allows === undefined) return NOTHING;
  let denies = NO_DENIES;
  for (const i of p.denies) {
    if (!principalMatches(p.statements[i]!, caller)) continue;
    if (denies === NO_DENIES) denies = [];
    denies.push(i);
  }
  const restrictedKeys = restricted ? PIN_KEYS : undefined;
  const granted = emptyGranted();
  for (const i of allows) {
    const s = p.statements[i]!;
    const want = p.masks[i]! & limit;
    let covered = false;
    for (const d of denies) if ((p.masks[d]! & want) !== 0n) covered = true;
    if (!covered) {
      // No Deny covers these actions: only the statement's own conditions decide.
      if (s.conditions.length === 0) {
        granted.mask |= want;
        give(granted, i, { mask: want, conditional: false, context: {} });
        continue;
      }
      const context = solve(p, `${i}`, s, NO_DENIES_STATEMENTS, probe, restrictedKeys);
      if (context !== undefined) {
        granted.mask |= want;
        give(granted, i, { mask: want, conditional: true, context });
      }
      continue;
    }
    const g = splitByDenies(p, probe, i, want, denies, restrictedKeys);
    if (g !== undefined) {
      granted.mask |= g.mask;
      give(granted, i, g);
    }
  }
  return granted;
}

/**
 * An Allow statement's actions split by the Deny statements that cover them (partition refinement over masks); each
 * part is allowed when some context meets the statement's conditions and escapes its Denies.
 */
function splitByDenies(
  p: Prepared,
  probe: Probe,
  index: number,
  want: Mask,
  denies: readonly number[],
  restrictedKeys: ReadonlySet<string> | undefined,
): Grantee | undefined {
  const s = p.statements[index]!;
  let groups: Array<{ mask: Mask; denies: number[] }> = [{ mask: want, denies: [] }];
  for (const d of denies) {
    const dm = p.masks[d]!;
    if ((dm & want) === 0n) continue;
    const next: typeof groups = [];
    for (const g of groups) {
      const inside = g.mask & dm;
      const outside = g.mask & ~dm;
      if (inside !== 0n) next.push({ mask: inside, denies: [...g.denies, d] });
      if (outside !== 0n) next.push({ mask: outside, denies: g.denies });
    }
    groups = next;
  }
  let mask = 0n;
  let conditional = s.conditions.length > 0;
  let context: Record<string, ContextValue> | undefined;
  for (const g of groups) {
    const denyStatements = g.denies.map((d) => p.statements[d]!);
    if (denyStatements.some((d) => d.conditions.length === 0)) continue;
    if (s.conditions.length === 0 && denyStatements.length === 0) {
      mask |= g.mask;
      context ??= {};
      continue;
    }
    const solved = solve(p, `${index}:${g.denies.join(',')}`, s, denyStatements, probe, restrictedKeys);
    if (solved !== undefined) {
      mask |= g.mask;
      context ??= solved;
      if (denyStatements.length > 0) conditional = true;
    }
  }
  return mask === 0n ? undefined : { mask, conditional, context: context ?? {} };
}

const NO_DENIES_STATEMENTS: Statement[] = [];

/**
 * Whether some request context meets the conditions of `allow` while failing a condition of every Deny in `denies`,
 * and if so the part of one such context that those conditions name. Remembered per key by statement and Denies plus
 * what decides the answer for this probe: the values it fixes of the keys the conditions name, which free keys it
 * cannot meet (pins, for the public test) and the account a free aws:PrincipalArn ranges over. Probes often share
 * all of these.
 */
function solve(
  p: Prepared,
  id: string,
  allow: Statement,
  denies: readonly Statement[],
  probe: Probe,
  restrictedKeys: ReadonlySet<string> | undefined,
): Record<string, ContextValue> | undefined {
  let memoKey: string | undefined = id;
  for (const c of allow.conditions) memoKey = signature(memoKey, c, probe, restrictedKeys);
  for (const d of denies) for (const c of d.conditions) memoKey = signature(memoKey, c, probe, restrictedKeys);
  const known = memoKey === undefined ? undefined : p.solutions?.get(memoKey);
  if (known !== undefined) return known === false ? undefined : copyContext(known);
  const result = satisfy({
    require: allow.conditions,
    escape: denies.map((d) => d.conditions),
    fixed: probe.fixed,
    restricted: restrictedKeys,
    callerAccount: probe.anyOf,
  });
  const context = !result.ok
    ? undefined
    : onlyMentioned(
        result.context,
        denies.length === 0 ? allow.conditions : [...allow.conditions, ...denies.flatMap((d) => d.conditions)],
      );
  if (memoKey !== undefined) {
    p.solutions ??= new Map();
    p.solutions.set(memoKey, context === undefined ? false : copyContext(context));
  }
  return context;
}

/** Adds to a memo key what the answer depends on for condition `c`; undefined when a policy variable is involved. */
function signature(
  key: string | undefined,
  c: Condition,
  probe: Probe,
  restrictedKeys: ReadonlySet<string> | undefined,
): string | undefined {
  if (key === undefined || hasVariable(c)) return undefined;
  const k = lowerKey(c.key);
  if (k in probe.fixed) {
    const v = probe.fixed[k];
    return `${key}|${v === undefined ? '-' : typeof v === 'string' ? `=${v}` : `[${JSON.stringify(v)}`}`;
  }
  if (k === 'aws:principalarn' && probe.anyOf !== undefined)
    return `${key}|@${probe.anyOf}${restrictedKeys ? 'R' : ''}`;
  return `${key}|${restrictedKeys?.has(k) ? 'R' : 'F'}`;
}

/** A context of its own for each use (values may be arrays). */
function copyContext(context: Record<string, ContextValue>): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = {};
  for (const k of Object.keys(context)) {
    const v = context[k]!;
    out[k] = typeof v === 'string' ? v : [...v];
  }
  return out;
}

/** The keys of an example's context that its conditions mention (with the names as the policy writes them). */
function onlyMentioned(
  context: Record<string, ContextValue>,
  conditions: readonly Condition[],
): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = {};
  for (const c of conditions) {
    const v = valueNamed(context, c.key);
    if (v !== undefined) out[c.key] = v;
  }
  return out;
}

/** The context value of a key, names compared case-insensitively (a satisfy context has one spelling per key). */
function valueNamed(context: Record<string, ContextValue>, key: string): ContextValue | undefined {
  if (Object.hasOwn(context, key)) return context[key];
  const lower = lowerKey(key);
  if (Object.hasOwn(context, lower)) return context[lower];
  for (const k of Object.keys(context)) if (lowerKey(k) === lower) return context[k];
  return undefined;
}

const NAMED_ACCOUNT = /^(\d{12}|\{\{.+\}\})$/;

/** Outside accounts a policy or its grants name: principals, grantees, condition values. */
function namedAccounts(p: Prepared): Set<string> {
  const found = new Set<string>();
  for (const s of p.statements) {
    if (s.principal) for (const e of s.principal.aws) addNamed(found, accountOf(e), p.account);
    if (s.notPrincipal) for (const e of s.notPrincipal.aws) addNamed(found, accountOf(e), p.account);
    for (const c of s.conditions) {
      const k = lowerKey(c.key);
      if (k === 'aws:principalaccount' || k === 'kms:calleraccount' || k === 'aws:sourceaccount')
        for (const v of c.values) addNamed(found, v, p.account);
      if (k === 'aws:principalarn' || k === 'aws:sourcearn')
        for (const v of c.values) addNamed(found, accountOf(v), p.account);
    }
  }
  return found;
}

function addNamed(found: Set<string>, account: string | undefined, own: string): void {
  if (account && account !== own && NAMED_ACCOUNT.test(account)) found.add(account);
}

function unnamedAccount(named: Set<string>, own: string): string {
  for (const candidate of ['999999999999', '999999999998', '999999999997'])
    if (!named.has(candidate) && candidate !== own) return candidate;
  return '999999999996';
}

interface Entry {
  kind: PrincipalKind;
  /** Indexes of the statements that list it, ascending. */
  statements: number[];
}

/** Named entities of a policy's Allow statements and grants, each with the statements that list it. */
function entries(p: Prepared): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const i of p.allows) {
    const s = p.statements[i]!;
    if (s.notPrincipal || s.principal?.anyone) addEntry(out, '*', 'anyone', i);
    const set = s.principal;
    if (!set) continue;
    for (const e of set.aws) addEntry(out, normalisePrincipal(e), undefined, i);
    for (const e of set.service) addEntry(out, e, 'service', i);
    for (const e of set.federated) addEntry(out, e, 'federated', i);
    for (const e of set.canonicalUser) addEntry(out, e, 'canonical-user', i);
  }
  return out;
}

function addEntry(out: Map<string, Entry>, principal: string, kind: PrincipalKind | undefined, i: number): void {
  const e = out.get(principal);
  if (!e) out.set(principal, { kind: kind ?? kindOf(principal), statements: [i] });
  else if (e.statements[e.statements.length - 1] !== i) e.statements.push(i);
}

function kindOf(principal: string): PrincipalKind {
  if (principal === '*') return 'anyone';
  if (SERVICE.test(principal)) return 'service';
  if (isAccountEntry(principal)) return 'account';
  const c = parseCaller(principal);
  if (c.kind === 'user' || c.kind === 'role' || c.kind === 'session' || c.kind === 'federated') return c.kind;
  return 'other';
}

const withoutProbe = (kind: PrincipalKind): boolean =>
  kind === 'federated' || kind === 'canonical-user' || kind === 'other';

/** Analyses who can do what with a key. */
export function analyseAccess(input: AccessInput): AccessMap {
  const p = prepare(input);
  const own = input.account;
  const named = namedAccounts(p);
  const unnamed = unnamedAccount(named, own);

  // Reach.
  const anonymous = probeFor('*', own);
  const stranger = genericProbe(unnamed, own);
  const isPublic = allowedFor(p, anonymous, true).mask !== 0n || allowedFor(p, stranger, true).mask !== 0n;
  const externalAccounts: string[] = [];
  for (const acct of named) if (accountReached(p, acct, own)) externalAccounts.push(acct);
  externalAccounts.sort();
  const strangerPinned = !isPublic && allowedFor(p, stranger, false).mask !== 0n;
  const reach: Reach = isPublic
    ? 'public'
    : externalAccounts.length > 0 || strangerPinned
      ? 'cross-account'
      : 'internal';

  // Who can do what, attributed to the entries the statements and grants name.
  const principals: PrincipalAccess[] = [];
  const probes: Probes = { own, named, anonymous, stranger };
  const listed = entries(p);
  for (const principal of listed.keys()) principals.push(principalAccess(p, principal, listed.get(principal)!, probes));

  let delegatesToAccount = false;
  const ownRoot = `arn:aws:iam::${own}:root`;
  for (const s of input.policy.statements) {
    if (delegatesToAccount) break;
    if (s.effect !== 'Allow' || !s.principal) continue;
    for (const e of s.principal.aws)
      if (e === own || e === ownRoot || (isAccountEntry(e) && accountOf(e) === own)) delegatesToAccount = true;
  }
  return {
    reach,
    externalAccounts,
    principals,
    delegatesToAccount,
    separationOfDuties: separationOfDuties(input.policy, input.grants ?? []),
  };
}

/** Does some caller of outside account `acct` (any principal, its root, or a principal the policy names) get access? */
function accountReached(p: Prepared, acct: string, own: string): boolean {
  if (allowedFor(p, genericProbe(acct, own), false).mask !== 0n) return true;
  if (allowedFor(p, probeFor(`arn:aws:iam::${acct}:root`, own), false).mask !== 0n) return true;
  for (const s of p.statements)
    if (s.principal)
      for (const e of s.principal.aws)
        if (accountOf(e) === acct && allowedFor(p, probeFor(normalisePrincipal(e), own), false).mask !== 0n)
          return true;
  return false;
}

interface Probes {
  own: string;
  named: Set<string>;
  anonymous: Probe;
  stranger: Probe;
}

function principalAccess(p: Prepared, principal: string, entry: Entry, probes: Probes): PrincipalAccess {
  const { own, anonymous, stranger } = probes;
  let exampleCaller: string;
  let granted: Granted;
  let anyoneOutside = false;
  if (withoutProbe(entry.kind)) {
    exampleCaller = principal === '*' ? stranger.caller : principal;
    granted = statementsOnly(p, entry.statements);
  } else if (principal === '*') {
    // "*" reaches whoever meets its conditions: a stranger, a caller of an account the policy names, or of this one.
    exampleCaller = stranger.caller;
    const candidates = [stranger];
    for (const a of probes.named) candidates.push(genericProbe(a, own));
    candidates.push(genericProbe(own, own));
    granted = emptyGranted();
    for (const candidate of candidates) {
      const g = within(allowedFor(p, candidate, false), entry.statements);
      if (g.mask === 0n) continue;
      if (candidate.external) anyoneOutside = true;
      if (granted.mask === 0n) exampleCaller = candidate.caller;
      granted.mask |= g.mask;
      for (const i of g.order) {
        const v = g.by[i]!;
        const seen = granted.by[i];
        give(granted, i, seen ? { mask: seen.mask | v.mask, conditional: seen.conditional, context: seen.context } : v);
      }
    }
  } else {
    const probe = entry.kind === 'account' ? genericProbe(accountOf(principal)!, own) : probeFor(principal, own);
    exampleCaller = probe.caller;
    granted = within(allowedFor(p, probe, false), entry.statements);
  }
  const publicAccess =
    principal === '*' &&
    (maskWithin(allowedFor(p, anonymous, true), entry.statements) !== 0n ||
      maskWithin(allowedFor(p, stranger, true), entry.statements) !== 0n);
  const via: AccessPath[] = [];
  let conditionKeys: Set<string> | undefined;
  let first: Grantee | undefined;
  for (const i of granted.order) {
    const g = granted.by[i]!;
    first ??= g;
    const s = p.statements[i]!;
    if (isGrantStatement(s))
      via.push({
        kind: 'grant',
        grantId: s.pointer.slice('grant:'.length),
        constrained: s.conditions.length > 0,
        classes: classesOfMask(g.mask),
      });
    else {
      const statementPublic =
        publicAccess &&
        (allowedFor(p, anonymous, true).by[i] !== undefined || allowedFor(p, stranger, true).by[i] !== undefined);
      const path: AccessPath & { kind: 'statement' } = {
        kind: 'statement',
        sid: s.sid,
        pointer: s.pointer,
        conditional: g.conditional,
        classes: classesOfMask(g.mask),
      };
      if (principal === '*') path.public = statementPublic;
      via.push(path);
    }
    if (s.conditions.length > 0) {
      conditionKeys ??= new Set();
      for (const c of s.conditions) conditionKeys.add(c.key);
    }
  }
  const account = principal === '*' ? undefined : accountOf(principal);
  const exampleAction = first ? preferredAction(first.mask) : undefined;
  const keys = conditionKeys === undefined ? [] : [...conditionKeys].sort();
  return {
    principal,
    kind: entry.kind,
    account,
    external: principal === '*' ? anyoneOutside : entry.kind !== 'service' && account !== undefined && account !== own,
    public: publicAccess,
    actions: actionsOf(granted.mask),
    classes: classesOfMask(granted.mask),
    conditionKeys: keys,
    pins: keys.length === 0 ? [] : keys.filter((k) => PIN_KEYS.has(k.toLowerCase())),
    via,
    example:
      first && exampleAction ? { principal: exampleCaller, action: exampleAction, context: first.context } : undefined,
  };
}

const PREFERRED = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:Sign',
  'kms:GenerateMac',
  'kms:CreateGrant',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
];
const preferredCache = new Map<Mask, string>();
/** Cached "no action" (an empty mask). */
const NONE = '';

/** The most telling action of a mask for an example request: use, then grant, then policy, then the first. */
function preferredAction(mask: Mask): string | undefined {
  const cached = preferredCache.get(mask);
  if (cached !== undefined) return cached === NONE ? undefined : cached;
  const actions = actionsOf(mask);
  let found = actions[0];
  for (const wanted of PREFERRED) {
    if (actions.includes(wanted)) {
      found = wanted;
      break;
    }
  }
  if (preferredCache.size >= 10_000) preferredCache.clear();
  preferredCache.set(mask, found ?? NONE);
  return found;
}

/** Attribution without a probe (federated, canonical user): the statements' actions, Deny not applied. */
function statementsOnly(p: Prepared, statements: readonly number[]): Granted {
  const granted = emptyGranted();
  for (const i of statements) {
    const s = p.statements[i]!;
    granted.mask |= p.masks[i]!;
    give(granted, i, { mask: p.masks[i]!, conditional: s.conditions.length > 0, context: {} });
  }
  return granted;
}

/** Reach when the policy could not be read. */
export function unknownAccess(reason: string): AccessMap {
  return {
    reach: 'unknown',
    externalAccounts: [],
    principals: [],
    delegatesToAccount: false,
    separationOfDuties: { ok: true, violators: [] },
    unknownReason: reason,
  };
}
