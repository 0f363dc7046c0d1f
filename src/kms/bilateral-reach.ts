/**
 * Reach under the Organization's RCPs (issue 4, item 7, with --org): RCPs limit what any caller can do with the
 * key, outsiders included, so a data-perimeter RCP that denies principals outside the Organization makes a key
 * that its policy shares with outside accounts internal in fact. Each outside entry of the access map is probed as
 * an outside caller (an account of the Organization may carry its id; any other carries none or another one).
 */
import { parseCaller, principalMatches } from '../policy';
import type { Statement } from '../policy/types';
import type { AccessMap, PrincipalAccess, Reach } from './access-map';
import { maskOfActions } from './action-mask';
import { uniqueRefs } from './bilateral-decide';
import { type Clause, type FixedContext, jointlyAllowed } from './bilateral-search';
import { organizationStage } from './bilateral-stages';
import type { AccountIamInput, BilateralKeyInput, BilateralOptions, PolicyRef, RcpReach } from './bilateral-types';
import { grantStatements } from './grants';

const STRANGER = '999999999999';
const OTHER_ORG = 'o-keywardenelsewhere0';
const NOT_A_SERVICE = {
  'aws:principalisawsservice': 'false',
  'aws:principalservicename': undefined,
  'aws:sourceaccount': undefined,
  'aws:sourcearn': undefined,
  'aws:sourceorgid': undefined,
  'aws:sourceorgpaths': undefined,
} as const;

interface Probe {
  caller: string;
  fixed: FixedContext;
  /** The caller stands for any principal of this account. */
  anyOf?: string;
}

/** Outside callers that stand for an access-map entry. */
function probesFor(p: PrincipalAccess, orgAccounts: ReadonlySet<string>, orgId: string | undefined): Probe[] {
  const specific = p.kind === 'user' || p.kind === 'role' || p.kind === 'session';
  const account = p.kind === 'anyone' || !p.account ? STRANGER : p.account;
  const caller = specific ? p.principal : `arn:aws:iam::${account}:role/keywarden-outside-caller`;
  const base: FixedContext = {
    ...NOT_A_SERVICE,
    'aws:principalaccount': account,
    'kms:calleraccount': account,
    'aws:principaltype': p.kind === 'user' ? 'User' : 'AssumedRole',
    ...(specific ? { 'aws:principalarn': p.principal } : {}),
  };
  const anyOf = specific ? undefined : account;
  const probes: Probe[] = [];
  if (orgAccounts.has(account)) {
    probes.push({ caller, anyOf, fixed: orgId ? { ...base, 'aws:principalorgid': orgId } : base });
  } else {
    probes.push({
      caller,
      anyOf,
      fixed: { ...base, 'aws:principalorgid': undefined, 'aws:principalorgpaths': undefined },
    });
    probes.push({ caller, anyOf, fixed: { ...base, 'aws:principalorgid': OTHER_ORG } });
  }
  if (p.public) {
    probes.push({
      caller: '*',
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
    });
  }
  return probes;
}

/** The key policy statements and grants an entry's access comes through. */
function viaStatements(key: BilateralKeyInput, p: PrincipalAccess): Statement[] {
  const grants = grantStatements(key.grants ?? []);
  return p.via.flatMap((v) =>
    v.kind === 'grant'
      ? grants.filter((g) => g.pointer === `grant:${v.grantId}`)
      : key.policy.statements.filter((s) => s.pointer === v.pointer),
  );
}

type Verdict = { blocked: true; by: PolicyRef[] } | { blocked: false; unknown?: string };

function judge(key: BilateralKeyInput, p: PrincipalAccess, own: AccountIamInput, options: BilateralOptions): Verdict {
  const orgAccounts = new Set([own.account, ...(options.organizationAccounts ?? [])]);
  const via = viaStatements(key, p);
  if (via.length === 0) return { blocked: false };
  const by: PolicyRef[] = [];
  for (const probe of probesFor(p, orgAccounts, options.organizationId)) {
    const caller = parseCaller(probe.caller);
    const stage = organizationStage('rcp', own.organization?.resourceControlPolicies, key.arn, caller);
    if (!stage) return { blocked: false };
    if (stage.unreadable.length > 0) return { blocked: false, unknown: stage.unreadable.join('; ') };
    for (const action of p.actions) {
      // RCPs do not govern RetireGrant, but retiring a grant gives no use of the key: it does not count as reach.
      if (action.toLowerCase() === 'kms:retiregrant') continue;
      const bit = maskOfActions([action]);
      const levels = stage.levels.map((l) => l.allows.filter((e) => (e.mask & bit) !== 0n).map((e) => e.clause));
      const denies = stage.denies.filter((e) => (e.mask & bit) !== 0n).map((e) => e.clause);
      for (const s of via) {
        if (!principalMatches(s, caller)) continue;
        const keyClause: Clause = { conditions: s.conditions, ref: { layer: 'key-policy', name: 'key policy' } };
        if (jointlyAllowed([[keyClause], ...levels], denies, probe.fixed, probe.anyOf).ok) return { blocked: false };
      }
      const empty = stage.levels.filter((_, i) => levels[i]!.length === 0);
      by.push(...(empty.length > 0 ? empty.flatMap((l) => l.policies) : denies.map((d) => d.ref)));
    }
  }
  return { blocked: true, by: uniqueRefs(by) };
}

const reachOf = (remaining: readonly PrincipalAccess[]): Reach =>
  remaining.some((p) => p.public) ? 'public' : remaining.length > 0 ? 'cross-account' : 'internal';

/** How the RCPs above the key's account change its reach; undefined when they do not apply or change nothing. */
export function reachUnderRcps(
  key: BilateralKeyInput,
  access: AccessMap,
  own: AccountIamInput | undefined,
  options: BilateralOptions = {},
): RcpReach | undefined {
  if (access.reach !== 'public' && access.reach !== 'cross-account') return undefined;
  const set = own?.organization?.resourceControlPolicies;
  if (!own || !set || set.status === 'not-enabled') return undefined;
  if (key.awsManaged || key.account === options.managementAccount) return undefined;
  const before = access.reach;
  if (set.status === 'unknown') return { before, after: before, blocked: [], unknown: set.reason };
  const blocked: RcpReach['blocked'] = [];
  const remaining: PrincipalAccess[] = [];
  const unknown: string[] = [];
  for (const p of access.principals) {
    if (!(p.external || p.public) || p.kind === 'service') continue;
    const verdict = judge(key, p, own, options);
    if (verdict.blocked) blocked.push({ principal: p.principal, by: verdict.by });
    else {
      remaining.push(p);
      if (verdict.unknown) unknown.push(verdict.unknown);
    }
  }
  if (unknown.length > 0) return { before, after: before, blocked, unknown: [...new Set(unknown)].join('; ') };
  return { before, after: reachOf(remaining), blocked };
}
