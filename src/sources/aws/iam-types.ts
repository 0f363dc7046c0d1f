/**
 * The IAM side of a key's access, as read from AWS: who exists in an account and which policies apply to them,
 * plus the Organization's SCPs and RCPs above the account. Plain data; evaluation is the policy engine's job.
 */
import type { PolicyDocument } from '../../policy/types';

export type IamPrincipalKind = 'user' | 'role' | 'group';

/** Identity policies (inline or managed) and the permissions boundary, which only limits. */
export type IamPolicyKind = 'inline' | 'managed' | 'permissions-boundary';

export interface IamPolicy {
  name: string;
  kind: IamPolicyKind;
  /** ARN of a managed policy or boundary. */
  arn?: string;
  /** For a user's policy that comes from one of its groups: the group name. */
  viaGroup?: string;
  /** The policy JSON (URL-decoded), or null when it could not be read (see `error`). */
  document: PolicyDocument | null;
  error?: string;
}

export interface IamPrincipal {
  arn: string;
  kind: IamPrincipalKind;
  name: string;
  path: string;
  /** For users: every policy that applies, their groups' policies included (with `viaGroup`). */
  policies: IamPolicy[];
  /** For users: the groups they belong to. */
  groups?: string[];
  /** For roles: who may assume the role. */
  trustPolicy?: PolicyDocument;
}

export type OrgPolicyType = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';

export interface OrgPolicy {
  id: string;
  name: string;
  arn?: string;
  awsManaged: boolean;
  document: PolicyDocument | null;
  error?: string;
}

/** The policies attached at one level of the Organization tree above (and at) the account. */
export interface OrgPolicyLevel {
  targetId: string;
  targetType: 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';
  policies: OrgPolicy[];
}

/**
 * The policies of one type that apply to an account, root first and the account last. Every level must allow an
 * action for SCPs and RCPs alike; `not-enabled` means the type is off in the Organization (it restricts nothing).
 */
export type OrgPolicySet =
  | { status: 'enabled'; levels: OrgPolicyLevel[] }
  | { status: 'not-enabled' }
  | { status: 'unknown'; reason: string };

export interface OrganizationPolicies {
  serviceControlPolicies: OrgPolicySet;
  resourceControlPolicies: OrgPolicySet;
}

export interface IamAccountView {
  account: string;
  /** ISO time. */
  collectedAt: string;
  principals: IamPrincipal[];
  /** Only with `--org`. */
  organization?: OrganizationPolicies;
}
