/**
 * The layers of a bilateral decision, prepared once per key and principal: each policy parsed with the same
 * engine as key policies, each statement reduced to the KMS actions it covers (a bit mask), whether its Resource
 * covers the key, and whether its Principal covers the caller. Unreadable policies are kept as reasons, never
 * dropped.
 */
import { type Caller, notResourceApplies, parsePolicyValue, principalMatches, resourceMatches } from '../policy';
import type { PolicyDocument, Statement } from '../policy/types';
import { type Mask, statementMask } from './action-mask';
import type { Clause } from './bilateral-search';
import type { OrgPolicySetInput, PolicyLayer, PolicyRef } from './bilateral-types';

export interface PreparedStatement {
  statement: Statement;
  mask: Mask;
  coversKey: boolean;
}

export type PreparedPolicy =
  | { ok: true; statements: PreparedStatement[]; documentId: number }
  | { ok: false; reason: string };

/** A statement of one attached policy, ready for the search. */
export interface Entry {
  mask: Mask;
  clause: Clause;
  /** Which statement of which document (stable across principals, for sharing results). */
  source: string;
}

/** One group of alternatives that must allow (a layer, or one SCP/RCP level), with the policies that make it up. */
export interface Level {
  allows: Entry[];
  /** The policies of this level (for "no statement of X allows"). */
  policies: PolicyRef[];
}

export interface Stage {
  layer: PolicyLayer;
  /** Some statement of this layer must allow (false: its Deny statements still count). */
  required: boolean;
  /** Groups that must each allow; empty = this layer only denies here (identity policies on a direct grant). */
  levels: Level[];
  denies: Entry[];
  /** Policies that could not be read: the stage's result is unknown unless something else settles it. */
  unreadable: string[];
}

export function coversResource(s: Statement, resource: string): boolean {
  if (s.resource) return resourceMatches(s.resource, resource);
  if (s.notResource) return notResourceApplies(s.notResource, resource);
  return true;
}

const cache = new WeakMap<object, Map<string, PreparedPolicy>>();
const ids = new WeakMap<object, number>();
let nextId = 0;

/** A number per policy document object (the collector shares one object per managed policy). */
function idOf(document: object): number {
  let id = ids.get(document);
  if (id === undefined) {
    id = nextId++;
    ids.set(document, id);
  }
  return id;
}

/** Parses a policy document for one key (cached per document object and key). */
export function preparePolicy(document: PolicyDocument | null, error: string | undefined, keyArn: string) {
  if (document === null) return { ok: false, reason: error ?? 'the document could not be read' } as const;
  let perKey = cache.get(document);
  if (!perKey) {
    perKey = new Map();
    cache.set(document, perKey);
  }
  let prepared = perKey.get(keyArn);
  if (!prepared) {
    const parsed = parsePolicyValue(document);
    prepared = parsed.ok
      ? {
          ok: true,
          documentId: idOf(document),
          statements: parsed.policy.statements.map((statement) => ({
            statement,
            mask: statementMask(statement),
            coversKey: coversResource(statement, keyArn),
          })),
        }
      : {
          ok: false,
          reason: `it does not parse: ${parsed.errors
            .slice(0, 2)
            .map((e) => `${e.message} (at ${e.pointer || '/'})`)
            .join('; ')}`,
        };
    perKey.set(keyArn, prepared);
  }
  return prepared;
}

export const describeRef = (ref: PolicyRef): string => {
  const kind = {
    'key-policy': 'key policy',
    grant: 'grant',
    identity: 'IAM policy',
    'permissions-boundary': 'permissions boundary',
    scp: 'SCP',
    rcp: 'RCP',
    'cross-account-limit': 'KMS cross-account limit',
  }[ref.layer];
  return ref.layer === 'key-policy' ? kind : `${kind} ${ref.name}`;
};

/** The statements of one attached policy that apply to the caller and the key, split by effect. */
export function entriesOf(
  prepared: PreparedPolicy,
  base: PolicyRef,
  caller: Caller,
): { allows: Entry[]; denies: Entry[]; unreadable?: string } {
  if (!prepared.ok) return { allows: [], denies: [], unreadable: `${describeRef(base)}: ${prepared.reason}` };
  const allows: Entry[] = [];
  const denies: Entry[] = [];
  for (const p of prepared.statements) {
    if (!p.coversKey || p.mask === 0n || !principalMatches(p.statement, caller)) continue;
    const ref: PolicyRef = { ...base, pointer: p.statement.pointer };
    if (p.statement.sid) ref.sid = p.statement.sid;
    const entry = {
      mask: p.mask,
      clause: { conditions: p.statement.conditions, ref },
      source: `${prepared.documentId}${p.statement.pointer}`,
    };
    (p.statement.effect === 'Deny' ? denies : allows).push(entry);
  }
  return { allows, denies };
}

/** SCP or RCP stage: every level must allow, no level may deny. Undefined when the policy type restricts nothing. */
export function organizationStage(
  layer: 'scp' | 'rcp',
  set: OrgPolicySetInput | undefined,
  keyArn: string,
  caller: Caller,
): Stage | undefined {
  if (!set || set.status === 'not-enabled') return undefined;
  const label = layer === 'scp' ? 'SCPs' : 'RCPs';
  if (set.status === 'unknown')
    return { layer, required: true, levels: [], denies: [], unreadable: [`${label}: ${set.reason}`] };
  const stage: Stage = { layer, required: true, levels: [], denies: [], unreadable: [] };
  for (const level of set.levels) {
    const allows: Entry[] = [];
    const policies: PolicyRef[] = [];
    for (const policy of level.policies) {
      const base: PolicyRef = {
        layer,
        name: policy.name || policy.id,
        target: level.targetId,
        ...(policy.arn ? { arn: policy.arn } : {}),
      };
      policies.push(base);
      const e = entriesOf(preparePolicy(policy.document, policy.error, keyArn), base, caller);
      allows.push(...e.allows);
      stage.denies.push(...e.denies);
      if (e.unreadable) stage.unreadable.push(`${e.unreadable} (attached to ${level.targetId})`);
    }
    stage.levels.push({ allows, policies });
  }
  return stage;
}
