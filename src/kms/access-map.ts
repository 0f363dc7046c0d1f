/** Who can do what with a key: the result of access analysis (src/kms/access.ts). */

/** Display classes of KMS actions (one action may be in several). */
export type ActionClass = 'use' | 'admin' | 'grant' | 'policy' | 'read';

export type Reach = 'public' | 'cross-account' | 'internal' | 'unknown';

export type PrincipalKind =
  | 'anyone'
  | 'account'
  | 'user'
  | 'role'
  | 'session'
  | 'service'
  | 'federated'
  | 'canonical-user'
  | 'other';

/** How a principal got an action: a key policy statement or a grant. */
export type AccessPath =
  | { kind: 'statement'; sid?: string; pointer: string; conditional: boolean; public?: boolean; classes: ActionClass[] }
  | { kind: 'grant'; grantId: string; constrained: boolean; classes: ActionClass[] };

export interface PrincipalAccess {
  /** Normalised: `arn:aws:iam::ID:root` for accounts, full ARNs, service names, `*` for anyone. */
  principal: string;
  kind: PrincipalKind;
  /** Owning account id, when the principal names one. */
  account?: string;
  /** Outside the key's account (services act for the account and are not external). */
  external: boolean;
  /** Anyone, or callers of unnamed accounts that meet only non-pinning conditions. */
  public: boolean;
  /** KMS actions it can be allowed, after Deny statements, conditions and (for outsiders) the cross-account limit. */
  actions: string[];
  classes: ActionClass[];
  /** Condition keys that restrict this access (pins among them are listed in `pins`). */
  conditionKeys: string[];
  /** Pinning condition keys (aws:PrincipalOrgID, aws:SourceVpce, ...) that limit who can meet the conditions. */
  pins: string[];
  via: AccessPath[];
  /** A request that the policy allows for this principal (proof of access), when it has any action. */
  example?: { principal: string; action: string; context: Record<string, string | string[]> };
}

export interface SeparationOfDuties {
  ok: boolean;
  /** Principals that can both use and administer the key (account principals are never candidates). */
  violators: Array<{ principal: string; useActions: string[]; adminActions: string[] }>;
}

export interface AccessMap {
  reach: Reach;
  /** Sorted outside account ids named by the policy or grants that get access. */
  externalAccounts: string[];
  principals: PrincipalAccess[];
  /** The key policy lets the owning account's IAM policies decide (the documented root statement). */
  delegatesToAccount: boolean;
  separationOfDuties: SeparationOfDuties;
  /** Why reach is unknown, when it is. */
  unknownReason?: string;
}
