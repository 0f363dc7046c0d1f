/**
 * What the infrastructure-as-code readers hand to the engine: plain data read from a CloudFormation/SAM template
 * (YAML or JSON), a Terraform plan (`terraform show -json`) or Terraform HCL sources.
 * Values that cannot be known before deploy stay symbolic as text in double braces (`{{AWS::Region}}`,
 * `{{Ref:ParamName}}`, `{{GetAtt:Role.Arn}}`, `{{ImportValue:Name}}`, `{{var.name}}`, `{{aws_kms_key.main.arn}}`)
 * and are listed in `notes`. See docs/iac.md.
 */

export type TemplateFormat = 'cloudformation' | 'sam' | 'terraform-plan' | 'terraform-hcl';

/** Where something stands in a template: the file, an RFC 6901 JSON pointer into the template, 1-based line/column. */
export interface TemplateLocation {
  file: string;
  /** Pointer into the template as written (CloudFormation: into the template; Terraform: see docs/iac.md). */
  pointer: string;
  line?: number;
  column?: number;
}

export type KeyResourceType = 'AWS::KMS::Key' | 'AWS::KMS::ReplicaKey' | 'aws_kms_key' | 'aws_kms_replica_key';

export interface TemplateSuppression {
  rule: string;
  reason: string;
}

export interface TemplateKey {
  file: string;
  /** CloudFormation logical id, or Terraform address such as `aws_kms_key.main` or `module.kms.aws_kms_key.this[0]`. */
  logicalId: string;
  resourceType: KeyResourceType;
  /** The key policy as a plain JSON value, intrinsics resolved or made symbolic; undefined when none is written. */
  policy: unknown | undefined;
  /** Where the policy is written (the KeyPolicy property, the `policy` argument, or an aws_kms_key_policy resource). */
  policyLocation?: TemplateLocation;
  /** Location of an element of `policy`, e.g. `/Statement/1/Principal`; falls back to the nearest located ancestor. */
  locatePolicy(pointerInPolicy: string): TemplateLocation | undefined;
  /** Where the key resource itself is declared. */
  location?: TemplateLocation;
  enableKeyRotation?: boolean | 'symbolic';
  enabled?: boolean | 'symbolic';
  keySpec?: string;
  keyUsage?: string;
  pendingWindowInDays?: number;
  multiRegion?: boolean | 'symbolic';
  /** Alias names (`alias/...`) that the template points at this key. */
  aliases: string[];
  /** keywarden suppressions: CloudFormation `Metadata.keywarden.suppress: [{rule, reason}]`; Terraform comments. */
  suppressions: TemplateSuppression[];
  /** Rule ids other scanners are told to skip (cfn_nag, checkov, cfn-guard, tfsec/trivy), for reporting only. */
  peerSuppressions: string[];
}

export type TemplatePolicyKind =
  | 'role'
  | 'user'
  | 'group'
  | 'managed-policy'
  | 'policy'
  | 'function'
  | 'tf-policy'
  | 'tf-role-policy'
  | 'tf-policy-document';

/** An identity policy in the template that can touch KMS (mentions kms, or allows `*` / NotAction). */
export interface TemplatePolicy {
  file: string;
  /** The resource that holds the document (role, user, policy, function, Terraform address). */
  logicalId: string;
  kind: TemplatePolicyKind;
  /** Inline policy name or SAM policy-template name, when there is one. */
  name?: string;
  /** Logical ids / Terraform addresses of what the policy is attached to (or principal names outside the template). */
  attachedTo: string[];
  /** ARNs of the principals that get the permissions (symbolic parts allowed, e.g. `role/{{MyFunctionRole}}`). */
  principalArns: string[];
  document: unknown;
  location?: TemplateLocation;
  locate(pointer: string): TemplateLocation | undefined;
}

export interface TemplateGrant {
  file: string;
  logicalId: string;
  /** Logical id / address of the key in the template when the reference resolves, else the key id as written. */
  keyRef: string;
  granteePrincipal: string;
  operations: string[];
  constraints?: { encryptionContextEquals?: Record<string, string>; encryptionContextSubset?: Record<string, string> };
  retiringPrincipal?: string;
  location?: TemplateLocation;
}

/** A value that stays symbolic, or something the reader could not take into account. */
export interface SymbolicNote {
  file: string;
  pointer: string;
  line?: number;
  column?: number;
  message: string;
}

/** The template (or part of it) could not be read: what, where, how to fix. */
export interface TemplateError {
  file: string;
  message: string;
  line?: number;
  column?: number;
  pointer?: string;
}

export interface TemplateReadResult {
  file: string;
  format: TemplateFormat;
  /** options.accountId, else the literal `{{AWS::AccountId}}`: the account the template deploys into. */
  account: string;
  keys: TemplateKey[];
  policies: TemplatePolicy[];
  grants: TemplateGrant[];
  notes: SymbolicNote[];
  errors: TemplateError[];
}

export interface TemplateReadOptions {
  /** CloudFormation parameter values / Terraform variable values (`--parameter Key=Value`). */
  parameters?: Record<string, string>;
  accountId?: string;
  region?: string;
  partition?: string;
}
