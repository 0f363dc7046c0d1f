/**
 * Inputs and results of the bilateral evaluation (src/kms/bilateral.ts): who of an account's users and roles can
 * use, administer, manage grants on and change the policy of a key, key policy AND IAM side together.
 *
 * The inputs are described structurally so that the AWS collector's IamAccountView (src/sources/aws/iam-types.ts)
 * is assignable without src/kms importing an adapter.
 */
import type { ParsedPolicy, PolicyDocument } from '../policy/types';
import type { Reach } from './access-map';
import type { Grant } from './snapshot';

/** An identity policy (inline, managed) or a permissions boundary of a user or role. */
export interface IdentityPolicyInput {
  name: string;
  kind: 'inline' | 'managed' | 'permissions-boundary';
  arn?: string;
  /** For a user's policy that comes from one of its groups: the group name. */
  viaGroup?: string;
  /** The policy JSON, or null when it could not be read (`error` says why). */
  document: PolicyDocument | null;
  error?: string;
}

/** A user, role or group with every policy that applies to it (a user's groups' policies included). */
export interface IdentityInput {
  arn: string;
  kind: 'user' | 'role' | 'group';
  name: string;
  path: string;
  policies: readonly IdentityPolicyInput[];
}

/** An SCP or RCP. */
export interface OrgPolicyInput {
  id: string;
  name: string;
  arn?: string;
  awsManaged: boolean;
  document: PolicyDocument | null;
  error?: string;
}

/** The policies attached at one level (root, OU, account) above and at an account. */
export interface OrgPolicyLevelInput {
  targetId: string;
  targetType: string;
  policies: readonly OrgPolicyInput[];
}

export type OrgPolicySetInput =
  | { status: 'enabled'; levels: readonly OrgPolicyLevelInput[] }
  | { status: 'not-enabled' }
  | { status: 'unknown'; reason: string };

/** One account's IAM side (the collector's IamAccountView fits). */
export interface AccountIamInput {
  account: string;
  principals: readonly IdentityInput[];
  /** Only with `--org`. */
  organization?: { serviceControlPolicies: OrgPolicySetInput; resourceControlPolicies: OrgPolicySetInput };
}

/** The key side of the evaluation. */
export interface BilateralKeyInput {
  arn: string;
  account: string;
  policy: ParsedPolicy;
  /** Grants as ListGrants returns them; undefined when they could not be read (see `grantsUnknown`). */
  grants?: readonly Grant[];
  /** Why the grants could not be read: principals may have more access through grants than shown. */
  grantsUnknown?: string;
  /** AWS managed keys: RCPs do not apply to them. */
  awsManaged?: boolean;
}

export interface BilateralOptions {
  /** The Organization's management account, when known: SCPs and RCPs do not apply to it. */
  managementAccount?: string;
  /** Accounts known to be in the key's Organization (reach under RCPs: their callers carry its org id). */
  organizationAccounts?: readonly string[];
  /** The Organization's id (o-...); otherwise taken from the ARN of a customer SCP or RCP when one names it. */
  organizationId?: string;
  /** Results shared between keys of one run (createBilateralCache): same statements, same answer. */
  cache?: BilateralCache;
}

export interface BilateralCache {
  results: Map<string, Partial<Record<IamAccessClass, ClassAccess>>>;
  /** A number per distinct key policy text. */
  policies: Map<string, number>;
}

export const createBilateralCache = (): BilateralCache => ({ results: new Map(), policies: new Map() });

/** The four questions of issue 4 item 7. */
export type IamAccessClass = 'use' | 'admin' | 'grant' | 'policy';
export const IAM_ACCESS_CLASSES: readonly IamAccessClass[] = ['use', 'admin', 'grant', 'policy'];

/** Where a decision came from. */
export type PolicyLayer =
  | 'key-policy'
  | 'grant'
  | 'identity'
  | 'permissions-boundary'
  | 'scp'
  | 'rcp'
  | 'cross-account-limit';

/** A policy (and, when one decided, its statement) that allowed, denied or limited an action. */
export interface PolicyRef {
  layer: PolicyLayer;
  /** `key policy`, the IAM policy's name, the boundary's, the SCP's or RCP's, or the grant's. */
  name: string;
  arn?: string;
  sid?: string;
  /** JSON pointer of the statement in its policy (`grant:ID` for a grant). */
  pointer?: string;
  /** For a user's policy inherited from a group. */
  viaGroup?: string;
  /** For SCPs and RCPs: the level the policy is attached to (root, OU or account id). */
  target?: string;
}

/** Actions of a class that the key policy gives but a later layer removes. */
export interface Limit {
  layer: PolicyLayer;
  /** explicit: a Deny statement; otherwise no statement of that layer allows. */
  explicit: boolean;
  by: PolicyRef[];
  actions: string[];
}

export interface ClassAccess {
  /** Actions of the class the principal can be allowed. */
  actions: string[];
  /** Every allowed action needs request conditions ("with conditions"). */
  conditional: boolean;
  /** The key policy statements / grants and the IAM policies that allow them. */
  because: PolicyRef[];
  /** Actions whose result depends on a policy keywarden could not read. */
  unknownActions: string[];
  unknownReasons: string[];
  limited: Limit[];
}

export interface PrincipalIamAccess {
  principal: string;
  kind: 'user' | 'role';
  name: string;
  account: string;
  /** Outside the key's account. */
  external: boolean;
  access: Partial<Record<IamAccessClass, ClassAccess>>;
}

/** How the RCPs of the key's Organization change its reach (a data perimeter). */
export interface RcpReach {
  before: Reach;
  after: Reach;
  /** Outside entries of the access map that the RCPs deny, and the RCPs that do. */
  blocked: Array<{ principal: string; by: PolicyRef[] }>;
  /** Why the RCPs could not be applied, when they could not. */
  unknown?: string;
}

export interface BilateralAccess {
  key: string;
  account: string;
  /** `unknown`: the key account's IAM side was not read (see `unknownReason`). */
  status: 'evaluated' | 'unknown';
  unknownReason?: string;
  /** Users and roles with any access, any unknown result, or a limit. Sorted by principal. */
  principals: PrincipalIamAccess[];
  /** Users and roles evaluated. */
  checked: number;
  /** Caveats of this evaluation, in plain words. */
  notes: string[];
}
