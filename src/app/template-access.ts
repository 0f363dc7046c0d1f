/**
 * Template-level access: for each key of a template, which roles, functions and users the template defines can use
 * and administer the key, and why. Access is bilateral (src/kms/bilateral.ts): a key policy statement must allow,
 * and where it allows only through the account root (`arn:aws:iam::ACCOUNT:root`) an IAM policy of the principal
 * must allow too. The IAM side is the template's own policies: inline role/user policies, managed policies attached
 * to them, SAM function `Policies` (statements and the KMS policy templates). Policies the template does not
 * contain (AWS managed policies, other stacks) are named in `notes`: the answer is "at least", never "only".
 */
import { evaluateBilateral } from '../kms/bilateral';
import type { ClassAccess, IamAccessClass, IdentityInput, PolicyRef } from '../kms/bilateral-types';
import type { KeySnapshot } from '../kms/snapshot';
import { parseCaller } from '../policy';
import type { Statement } from '../policy/types';
import type { SymbolicNote, TemplateKey, TemplatePolicy, TemplateReadResult } from '../sources/iac/types';

/** One key of the template with its snapshot and the ways the template writes its ARN. */
export interface TemplateKeyInput {
  key: TemplateKey;
  snapshot: KeySnapshot;
  arnForms: readonly string[];
}

export interface Place {
  file: string;
  line?: number;
  column?: number;
}

/** Why a principal has an action: the key policy statement (or grant), and the template's IAM policies. */
export interface AccessReason {
  keyPolicy: Array<{ sid?: string; pointer: string; throughAccountRoot: boolean; at?: Place; grant?: string }>;
  iamPolicies: Array<{ description: string; at?: Place }>;
}

export interface ClassInTemplate {
  actions: string[];
  conditional: boolean;
  because: AccessReason;
  /** Actions the key policy gives that a Deny or boundary removes. */
  limitedActions: string[];
  unknownActions: string[];
}

export interface PrincipalInTemplate {
  arn: string;
  kind: 'role' | 'user';
  /** How the template defines it: `function ReadOrders (its role ReadOrdersRole)`, `role ReportRole`. */
  label: string;
  access: Partial<Record<IamAccessClass, ClassInTemplate>>;
}

export interface KeyAccessInTemplate {
  logicalId: string;
  arn: string;
  file: string;
  at?: Place;
  aliases: string[];
  /** The key policy statements that delegate to the account's IAM (the account-root statement). */
  rootStatements: Array<{ sid?: string; pointer: string; at?: Place }>;
  principals: PrincipalInTemplate[];
  /** Principals checked (every role/user/function role the template defines or names). */
  checked: number;
  /** Why the IAM side may be larger than shown; policy problems. */
  notes: string[];
  /** The key policy could not be read: nothing can be said. */
  unknownReason?: string;
}

const CLASSES: readonly IamAccessClass[] = ['use', 'admin', 'grant', 'policy'];
const PRINCIPAL_ARN = /^arn:[^:]+:iam::[^:]*:(role|user)\/(.+)$/;

/** Every string in the value, with the template's ways of writing a key's ARN replaced by the key's ARN. */
function withKeyArns(value: unknown, arns: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return arns.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => withKeyArns(v, arns));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withKeyArns(v, arns)]));
  return value;
}

function describePolicy(p: TemplatePolicy): string {
  const where = `${p.logicalId}`;
  switch (p.kind) {
    case 'function':
      return p.name ? `SAM policy template ${p.name} of function ${where}` : `Policies statement of function ${where}`;
    case 'role':
    case 'user':
    case 'group':
      return `inline policy ${p.name ?? ''} of ${p.kind} ${where}`.replace('  ', ' ');
    case 'managed-policy':
      return `managed policy ${where}`;
    case 'policy':
      return `policy ${p.name ?? where} (${where})`;
    default:
      return `${where}${p.name ? ` (${p.name})` : ''}`;
  }
}

/** How the template defines each principal: the resources whose policies attach to it. */
function labelOf(arn: string, policies: readonly TemplatePolicy[]): string {
  const name = PRINCIPAL_ARN.exec(arn)?.[2] ?? arn;
  const functions = [
    ...new Set(policies.filter((p) => p.kind === 'function' && p.principalArns.includes(arn)).map((p) => p.logicalId)),
  ];
  const shown = name.replace(/^\{\{(.+)\}\}$/, '$1');
  if (functions.length > 0) return `function ${functions.join(', ')} (its role ${shown})`;
  const kind = arn.includes(':user/') ? 'user' : 'role';
  return `${kind} ${shown}`;
}

const placeOf = (l: { file: string; line?: number; column?: number } | undefined): Place | undefined =>
  l ? { file: l.file, ...(l.line !== undefined ? { line: l.line, column: l.column } : {}) } : undefined;

function isAccountRootEntry(entry: string, account: string): boolean {
  return entry === account || (entry.startsWith('arn:') && entry.endsWith(`::${account}:root`));
}

function throughRoot(statement: Statement | undefined, account: string): boolean {
  return Boolean(statement?.principal?.aws.some((e) => isAccountRootEntry(e, account)));
}

function reasonOf(
  refs: readonly PolicyRef[],
  input: TemplateKeyInput,
  statements: readonly Statement[],
  policies: readonly TemplatePolicy[],
): AccessReason {
  const reason: AccessReason = { keyPolicy: [], iamPolicies: [] };
  for (const ref of refs) {
    if (ref.layer === 'key-policy' && ref.pointer !== undefined) {
      const statement = statements.find((s) => s.pointer === ref.pointer);
      reason.keyPolicy.push({
        ...(ref.sid ? { sid: ref.sid } : {}),
        pointer: ref.pointer,
        throughAccountRoot: throughRoot(statement, input.snapshot.account),
        ...(placeOf(input.key.locatePolicy(ref.pointer)) ? { at: placeOf(input.key.locatePolicy(ref.pointer)) } : {}),
      });
    } else if (ref.layer === 'grant') {
      reason.keyPolicy.push({ pointer: ref.pointer ?? '', throughAccountRoot: false, grant: ref.name });
    } else if (ref.layer === 'identity') {
      const policy = policies[Number(ref.name.slice(1))];
      if (!policy) continue;
      const at = placeOf(ref.pointer && policy.locate(ref.pointer) ? policy.locate(ref.pointer) : policy.location);
      reason.iamPolicies.push({ description: describePolicy(policy), ...(at ? { at } : {}) });
    }
  }
  return reason;
}

function classInTemplate(
  c: ClassAccess,
  input: TemplateKeyInput,
  statements: readonly Statement[],
  policies: readonly TemplatePolicy[],
): ClassInTemplate {
  return {
    actions: c.actions,
    conditional: c.conditional,
    because: reasonOf(c.because, input, statements, policies),
    limitedActions: c.limited.flatMap((l) => l.actions),
    unknownActions: c.unknownActions,
  };
}

/** The identities the template defines or names, each with the template's IAM policies that apply to it. */
function identitiesOf(result: TemplateReadResult, documents: readonly unknown[], keys: readonly TemplateKeyInput[]) {
  const identities = new Map<string, IdentityInput & { policies: IdentityInput['policies'][number][] }>();
  const add = (arn: string) => {
    const m = PRINCIPAL_ARN.exec(arn);
    if (!m || parseCaller(arn).account !== result.account) return undefined;
    let identity = identities.get(arn);
    if (!identity) {
      const kind = m[1] as 'role' | 'user';
      const path = m[2]!.includes('/') ? `/${m[2]!.slice(0, m[2]!.lastIndexOf('/') + 1)}` : '/';
      identity = { arn, kind, name: m[2]!.slice(m[2]!.lastIndexOf('/') + 1), path, policies: [] };
      identities.set(arn, identity);
    }
    return identity;
  };
  result.policies.forEach((p, i) => {
    for (const arn of p.principalArns) {
      const identity = add(arn);
      const kind = p.kind === 'managed-policy' || p.kind === 'tf-policy' ? 'managed' : 'inline';
      identity?.policies.push({
        name: `#${i}`,
        kind,
        document: documents[i] as IdentityInput['policies'][number]['document'],
      });
    }
  });
  for (const { snapshot } of keys) {
    if (!snapshot.policy.ok) continue;
    for (const s of snapshot.policy.value.statements) for (const e of s.principal?.aws ?? []) add(e);
  }
  return [...identities.values()];
}

const noteText = (n: SymbolicNote): string => `${n.file}${n.line ? `:${n.line}` : ''}: ${n.message}`;

/** Who in the template can use and administer each of its keys, and why. */
export function templateAccess(result: TemplateReadResult, keys: readonly TemplateKeyInput[]): KeyAccessInTemplate[] {
  const arns = new Map<string, string>();
  for (const k of keys) for (const form of k.arnForms) arns.set(form, k.snapshot.arn);
  const documents = result.policies.map((p) => withKeyArns(p.document, arns));
  const identities = identitiesOf(result, documents, keys);
  const outside = result.notes.filter((n) =>
    /managed policy|not expanded|not read|ignores its Policies/.test(n.message),
  );
  return keys.map((input) => {
    const { key, snapshot } = input;
    const base = {
      logicalId: key.logicalId,
      arn: snapshot.arn,
      file: key.file,
      ...(placeOf(key.location) ? { at: placeOf(key.location) } : {}),
      aliases: key.aliases,
      checked: identities.length,
      notes: outside.map(noteText),
    };
    if (!snapshot.policy.ok)
      return { ...base, rootStatements: [], principals: [], unknownReason: snapshot.policy.reason };
    const policy = snapshot.policy.value;
    const statements = policy.statements;
    const rootStatements = statements
      .filter((s) => s.effect === 'Allow' && throughRoot(s, snapshot.account))
      .map((s) => ({
        ...(s.sid ? { sid: s.sid } : {}),
        pointer: s.pointer,
        ...(placeOf(key.locatePolicy(s.pointer)) ? { at: placeOf(key.locatePolicy(s.pointer)) } : {}),
      }));
    const evaluated = evaluateBilateral(
      {
        arn: snapshot.arn,
        account: snapshot.account,
        policy,
        ...(snapshot.grants.ok ? { grants: snapshot.grants.value } : {}),
      },
      [{ account: snapshot.account, principals: identities }],
    );
    const principals: PrincipalInTemplate[] = evaluated.principals.map((p) => {
      const access: PrincipalInTemplate['access'] = {};
      for (const c of CLASSES) {
        const found = p.access[c];
        if (found) access[c] = classInTemplate(found, input, statements, result.policies);
      }
      return { arn: p.principal, kind: p.kind, label: labelOf(p.principal, result.policies), access };
    });
    return { ...base, rootStatements, principals };
  });
}
