/**
 * Access analysis of one key: reach (public / cross-account / internal), the outside accounts that get access,
 * and who can do what, from the key policy and grants. Semantics: ../shared/corpus/key-policies/README.md,
 * extensions in docs/access-analysis.md.
 *
 * Method: probe callers (anonymous, a caller of an account nobody names, every named principal and account) against
 * the policy; for each Allow statement that covers a probe, ask whether some request context satisfies its
 * conditions while escaping every Deny that covers the same action (src/kms/satisfy.ts).
 */
import { normalisePrincipal, parseCaller, principalMatches, wildcardMatch } from '../policy';
import type { Condition, ContextValue, ParsedPolicy, Statement } from '../policy/types';
import type { AccessMap, AccessPath, PrincipalAccess, PrincipalKind, Reach } from './access-map';
import { ALL_KEY_ACTIONS, actionsOf, CROSS_ACCOUNT_MASK, classesOfMask, type Mask, statementMask } from './action-mask';
import { grantStatements, isGrantStatement } from './grants';
import { PIN_KEYS, satisfy } from './satisfy';
import type { Grant } from './snapshot';
import { separationOfDuties } from './sod';

export interface AccessInput {
  account: string;
  keyArn?: string;
  policy: ParsedPolicy;
  grants?: readonly Grant[];
}

const ARN = /^arn:([\w-]+):(iam|sts)::([^:]+):(.+)$/;
const ACCOUNT_ID = /^\d{12}$/;

/** The account an ARN, account id or account root names. */
export function accountOf(entry: string): string | undefined {
  if (ACCOUNT_ID.test(entry)) return entry;
  const m = ARN.exec(entry);
  return m ? m[3] : undefined;
}

const isAccountEntry = (entry: string): boolean => ACCOUNT_ID.test(entry) || /^arn:[\w-]+:iam::[^:]+:root$/.test(entry);

interface Probe {
  caller: string;
  /** Stands for any principal of this account (its ARN is free within the account). */
  anyOf?: string;
  account?: string;
  external: boolean;
  anonymous: boolean;
  /** Principal-derived context keys (lower-case); undefined = absent. */
  fixed: Record<string, ContextValue | undefined>;
}

const SERVICE = /\.amazonaws\.com(\.cn)?$/;

/** Keys present only on requests an AWS service makes for a resource (absent when a principal calls itself). */
const NOT_A_SERVICE = {
  'aws:sourceaccount': undefined,
  'aws:sourcearn': undefined,
  'aws:sourceorgid': undefined,
  'aws:sourceorgpaths': undefined,
} as const;

function probeFor(caller: string, ownAccount: string): Probe {
  if (caller === '*') {
    return {
      caller,
      external: true,
      anonymous: true,
      fixed: {
        ...NOT_A_SERVICE,
        'aws:principalaccount': undefined,
        'kms:calleraccount': undefined,
        'aws:principalarn': undefined,
        'aws:principalorgid': undefined,
        'aws:principalorgpaths': undefined,
        'aws:userid': undefined,
        'aws:principaltype': 'Anonymous',
      },
    };
  }
  if (SERVICE.test(caller)) {
    return {
      caller,
      external: false,
      anonymous: false,
      fixed: {
        'aws:principalaccount': undefined,
        'kms:calleraccount': undefined,
        'aws:principalarn': undefined,
        'aws:principalservicename': caller,
        'aws:principalisawsservice': 'true',
      },
    };
  }
  const account = accountOf(caller);
  const arn = ACCOUNT_ID.test(caller) ? `arn:aws:iam::${caller}:root` : caller;
  const generic = account !== undefined && arn === genericPrincipal(account);
  return {
    caller: arn,
    account,
    ...(generic ? { anyOf: account } : {}),
    external: account !== ownAccount,
    anonymous: false,
    fixed: {
      ...NOT_A_SERVICE,
      'aws:principalaccount': account,
      'kms:calleraccount': account,
      ...(generic ? {} : { 'aws:principalarn': arn }),
      'aws:principalisawsservice': 'false',
    },
  };
}

/** A principal of `account` that no statement names: stands for "any principal of that account". */
const genericPrincipal = (account: string): string => `arn:aws:iam::${account}:role/AnyRole`;

interface Prepared {
  account: string;
  keyArn?: string;
  statements: Statement[];
  masks: Mask[];
  /** allowedFor results, per probe and mode. */
  cache: Map<string, Granted>;
}

function prepare(input: AccessInput): Prepared {
  const statements = [...input.policy.statements, ...grantStatements(input.grants ?? [])].filter((s) =>
    resourceCoversKey(s, input.keyArn),
  );
  return {
    account: input.account,
    keyArn: input.keyArn,
    statements,
    masks: statements.map(statementMask),
    cache: new Map(),
  };
}

function resourceCoversKey(s: Statement, keyArn: string | undefined): boolean {
  if (s.resource)
    return s.resource.some(
      (r) =>
        r === '*' ||
        (keyArn !== undefined && wildcardMatch(r, keyArn, false)) ||
        (keyArn === undefined && r.includes(':key/')),
    );
  if (s.notResource)
    return !s.notResource.some((r) => r === '*' || (keyArn !== undefined && wildcardMatch(r, keyArn, false)));
  return true;
}

interface Granted {
  mask: Mask;
  /** Per statement index: the actions it granted, whether it needed conditions, and a context that proves it. */
  by: Map<number, { mask: Mask; conditional: boolean; context: Record<string, ContextValue> }>;
}

/**
 * The key actions `probe` can be allowed, per Allow statement, after every Deny (each Allow statement is judged on
 * its own, so the access a subset of statements gives is the union of their parts). Cached per probe.
 * `restricted`: the probe cannot meet pins (public test).
 */
function allowedFor(p: Prepared, probe: Probe, restricted: boolean): Granted {
  const cacheKey = `${probe.caller}|${restricted}`;
  const cached = p.cache.get(cacheKey);
  if (cached) return cached;
  const result = computeAllowed(p, probe, restricted);
  p.cache.set(cacheKey, result);
  return result;
}

/** The part of a probe's access that the statements in `only` give. */
function within(granted: Granted, only: ReadonlySet<number>): Granted {
  const out: Granted = { mask: 0n, by: new Map() };
  for (const [i, g] of granted.by) {
    if (!only.has(i)) continue;
    out.mask |= g.mask;
    out.by.set(i, g);
  }
  return out;
}

function computeAllowed(p: Prepared, probe: Probe, restricted: boolean): Granted {
  const caller = parseCaller(probe.caller);
  const limit = probe.external ? CROSS_ACCOUNT_MASK : ALL_KEY_ACTIONS;
  const denies: number[] = [];
  for (let i = 0; i < p.statements.length; i++) {
    const s = p.statements[i]!;
    if (s.effect === 'Deny' && principalMatches(s, caller)) denies.push(i);
  }
  const restrictedKeys = restricted ? PIN_KEYS : undefined;
  const granted: Granted = { mask: 0n, by: new Map() };
  for (let i = 0; i < p.statements.length; i++) {
    const s = p.statements[i]!;
    if (s.effect !== 'Allow' || !principalMatches(s, caller)) continue;
    const want = p.masks[i]! & limit;
    if (want === 0n) continue;
    // Split the wanted actions by the Deny statements that cover them (partition refinement over masks).
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
      const result = satisfy({
        require: s.conditions,
        escape: denyStatements.map((d) => d.conditions),
        fixed: probe.fixed,
        restricted: restrictedKeys,
        callerAccount: probe.anyOf,
      });
      if (result.ok) {
        mask |= g.mask;
        context ??= onlyMentioned(result.context, [...s.conditions, ...denyStatements.flatMap((d) => d.conditions)]);
        if (denyStatements.length > 0) conditional = true;
      }
    }
    if (mask !== 0n) {
      granted.mask |= mask;
      granted.by.set(i, { mask, conditional, context: context ?? {} });
    }
  }
  return granted;
}

/** The keys of an example's context that its conditions mention (with the names as the policy writes them). */
function onlyMentioned(
  context: Record<string, ContextValue>,
  conditions: readonly Condition[],
): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = {};
  const lower = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  for (const c of conditions) {
    const v = lower.get(c.key.toLowerCase());
    if (v !== undefined) out[c.key] = v;
  }
  return out;
}

/** Outside accounts a policy or its grants name: principals, grantees, condition values. */
function namedAccounts(p: Prepared): Set<string> {
  const found = new Set<string>();
  const add = (v: string | undefined) => {
    if (v && v !== p.account && /^(\d{12}|\{\{.+\}\})$/.test(v)) found.add(v);
  };
  for (const s of p.statements) {
    for (const e of [...(s.principal?.aws ?? []), ...(s.notPrincipal?.aws ?? [])]) add(accountOf(e));
    for (const c of s.conditions) {
      const k = c.key.toLowerCase();
      if (k === 'aws:principalaccount' || k === 'kms:calleraccount' || k === 'aws:sourceaccount')
        for (const v of c.values) add(v);
      if (k === 'aws:principalarn' || k === 'aws:sourcearn') for (const v of c.values) add(accountOf(v));
    }
  }
  return found;
}

function unnamedAccount(named: Set<string>, own: string): string {
  for (const candidate of ['999999999999', '999999999998', '999999999997'])
    if (!named.has(candidate) && candidate !== own) return candidate;
  return '999999999996';
}

/** Named entities of a policy's Allow statements and grants, each with the statements that list it. */
function entries(p: Prepared): Map<string, { kind: PrincipalKind; statements: Set<number> }> {
  const out = new Map<string, { kind: PrincipalKind; statements: Set<number> }>();
  const add = (principal: string, kind: PrincipalKind, i: number) => {
    const e = out.get(principal);
    if (e) e.statements.add(i);
    else out.set(principal, { kind, statements: new Set([i]) });
  };
  p.statements.forEach((s, i) => {
    if (s.effect !== 'Allow') return;
    if (s.notPrincipal || s.principal?.anyone) add('*', 'anyone', i);
    for (const e of s.principal?.aws ?? []) {
      const n = normalisePrincipal(e);
      add(n, kindOf(n), i);
    }
    for (const e of s.principal?.service ?? []) add(e, 'service', i);
    for (const e of s.principal?.federated ?? []) add(e, 'federated', i);
    for (const e of s.principal?.canonicalUser ?? []) add(e, 'canonical-user', i);
  });
  return out;
}

function kindOf(principal: string): PrincipalKind {
  if (principal === '*') return 'anyone';
  if (SERVICE.test(principal)) return 'service';
  if (isAccountEntry(principal)) return 'account';
  const c = parseCaller(principal);
  if (c.kind === 'user' || c.kind === 'role' || c.kind === 'session' || c.kind === 'federated') return c.kind;
  return 'other';
}

/** Analyses who can do what with a key. */
export function analyseAccess(input: AccessInput): AccessMap {
  const p = prepare(input);
  const own = input.account;
  const named = namedAccounts(p);
  const unnamed = unnamedAccount(named, own);

  // Reach.
  const anonymous = probeFor('*', own);
  const stranger = probeFor(genericPrincipal(unnamed), own);
  const isPublic = allowedFor(p, anonymous, true).mask !== 0n || allowedFor(p, stranger, true).mask !== 0n;
  const externalAccounts: string[] = [];
  for (const acct of named) {
    const probes = new Set([genericPrincipal(acct), `arn:aws:iam::${acct}:root`]);
    for (const s of p.statements)
      for (const e of s.principal?.aws ?? []) if (accountOf(e) === acct) probes.add(normalisePrincipal(e));
    if ([...probes].some((c) => allowedFor(p, probeFor(c, own), false).mask !== 0n)) externalAccounts.push(acct);
  }
  externalAccounts.sort();
  const strangerPinned = !isPublic && allowedFor(p, stranger, false).mask !== 0n;
  const reach: Reach = isPublic
    ? 'public'
    : externalAccounts.length > 0 || strangerPinned
      ? 'cross-account'
      : 'internal';

  // Who can do what, attributed to the entries the statements and grants name.
  const principals: PrincipalAccess[] = [];
  for (const [principal, entry] of entries(p)) {
    let probe: Probe;
    if (principal === '*') probe = stranger;
    else if (entry.kind === 'account') probe = probeFor(genericPrincipal(accountOf(principal)!), own);
    else if (entry.kind === 'federated' || entry.kind === 'canonical-user' || entry.kind === 'other')
      probe = { ...stranger, caller: principal };
    else probe = probeFor(principal, own);
    let granted: Granted;
    let anyoneOutside = false;
    if (entry.kind === 'federated' || entry.kind === 'canonical-user' || entry.kind === 'other')
      granted = statementsOnly(p, entry.statements);
    else if (principal === '*') {
      // "*" reaches whoever meets its conditions: a stranger, a caller of an account the policy names, or of this one.
      const candidates = [
        stranger,
        ...[...named].map((a) => probeFor(genericPrincipal(a), own)),
        probeFor(genericPrincipal(own), own),
      ];
      granted = { mask: 0n, by: new Map() };
      for (const candidate of candidates) {
        const g = within(allowedFor(p, candidate, false), entry.statements);
        if (g.mask === 0n) continue;
        if (candidate.external) anyoneOutside = true;
        if (granted.mask === 0n) probe = candidate;
        granted.mask |= g.mask;
        for (const [i, v] of g.by) {
          const seen = granted.by.get(i);
          granted.by.set(i, seen ? { ...seen, mask: seen.mask | v.mask } : v);
        }
      }
    } else granted = within(allowedFor(p, probe, false), entry.statements);
    const publicAccess =
      principal === '*' &&
      (within(allowedFor(p, anonymous, true), entry.statements).mask !== 0n ||
        within(allowedFor(p, stranger, true), entry.statements).mask !== 0n);
    const via: AccessPath[] = [];
    const conditionKeys = new Set<string>();
    for (const [i, g] of granted.by) {
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
          publicAccess && (allowedFor(p, anonymous, true).by.has(i) || allowedFor(p, stranger, true).by.has(i));
        via.push({
          kind: 'statement',
          sid: s.sid,
          pointer: s.pointer,
          conditional: g.conditional,
          classes: classesOfMask(g.mask),
          ...(principal === '*' ? { public: statementPublic } : {}),
        });
      }
      for (const c of s.conditions) conditionKeys.add(c.key);
    }
    const account = principal === '*' ? undefined : accountOf(principal);
    const first = [...granted.by.values()][0];
    const exampleAction = first ? preferredAction(first.mask) : undefined;
    principals.push({
      principal,
      kind: entry.kind,
      account,
      external:
        principal === '*' ? anyoneOutside : entry.kind !== 'service' && account !== undefined && account !== own,
      public: publicAccess,
      actions: actionsOf(granted.mask),
      classes: classesOfMask(granted.mask),
      conditionKeys: [...conditionKeys].sort(),
      pins: [...conditionKeys].filter((k) => PIN_KEYS.has(k.toLowerCase())).sort(),
      via,
      example:
        first && exampleAction ? { principal: probe.caller, action: exampleAction, context: first.context } : undefined,
    });
  }

  const ownRoot = new Set([own, `arn:aws:iam::${own}:root`]);
  const delegatesToAccount = input.policy.statements.some(
    (s) =>
      s.effect === 'Allow' &&
      (s.principal?.aws ?? []).some((e) => ownRoot.has(e) || (isAccountEntry(e) && accountOf(e) === own)),
  );
  return {
    reach,
    externalAccounts,
    principals,
    delegatesToAccount,
    separationOfDuties: separationOfDuties(input.policy, input.grants ?? []),
  };
}

/** The most telling action of a mask for an example request: use, then grant, then policy, then the first. */
function preferredAction(mask: Mask): string | undefined {
  const actions = actionsOf(mask);
  for (const wanted of [
    'kms:Decrypt',
    'kms:Encrypt',
    'kms:Sign',
    'kms:GenerateMac',
    'kms:CreateGrant',
    'kms:PutKeyPolicy',
    'kms:ScheduleKeyDeletion',
  ]) {
    if (actions.includes(wanted)) return wanted;
  }
  return actions[0];
}

/** Attribution without a probe (federated, canonical user): the statements' actions, Deny not applied. */
function statementsOnly(p: Prepared, statements: Set<number>): Granted {
  const granted: Granted = { mask: 0n, by: new Map() };
  for (const i of statements) {
    const s = p.statements[i]!;
    granted.mask |= p.masks[i]!;
    granted.by.set(i, { mask: p.masks[i]!, conditional: s.conditions.length > 0, context: {} });
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
