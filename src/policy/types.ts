/**
 * The IAM policy language as keywarden models it (pure data, no behaviour).
 * A PolicyDocument is the JSON as written; a ParsedPolicy is the validated, normalised model with the JSON pointer
 * of every element, and line/column computed lazily from the source text when a finding needs them.
 */

/** A policy as it appears in JSON (key policy, IAM policy, SCP, RCP). */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: unknown;
  [key: string]: unknown;
}

export type Effect = 'Allow' | 'Deny';

/** Where an element stands in its source: RFC 6901 JSON pointer, and 1-based line/column when known. */
export interface Location {
  pointer: string;
  line?: number;
  column?: number;
}

/** Principal or NotPrincipal, normalised. `"*"` and `{"AWS":"*"}` both set `anyone`. */
export interface PrincipalSet {
  anyone: boolean;
  /** AWS entries as written: account ids, account root ARNs, user/role/session ARNs (may contain wildcards only as "*"). */
  aws: string[];
  service: string[];
  federated: string[];
  canonicalUser: string[];
  pointer: string;
}

export type SetOperator = 'ForAnyValue' | 'ForAllValues';

/** One `Operator: { Key: values }` entry of a Condition block. */
export interface Condition {
  /** Operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  operator: string;
  /** Base operator without qualifier and IfExists, e.g. `StringLike`. */
  baseOperator: string;
  qualifier?: SetOperator;
  ifExists: boolean;
  /** Condition key as written (compared case-insensitively). */
  key: string;
  values: string[];
  /** Pointer to the key inside the Condition block, e.g. `/Statement/1/Condition/StringEquals/aws:SourceAccount`. */
  pointer: string;
}

export interface Statement {
  /** Position in the Statement array (0 when Statement is a single object). */
  index: number;
  /** `/Statement/N`, or `/Statement` when Statement is a single object. */
  pointer: string;
  sid?: string;
  effect: Effect;
  principal?: PrincipalSet;
  notPrincipal?: PrincipalSet;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  conditions: Condition[];
}

export interface ParsedPolicy {
  version?: string;
  id?: string;
  statements: Statement[];
  /** The plain JSON value the policy was parsed from (for remediation: copy, edit, re-serialise). */
  document: PolicyDocument;
  /** Line and column of a JSON pointer in the source text, computed on demand; undefined without source text. */
  locate(pointer: string): Location;
}

/** A rejected policy: what is wrong and where. */
export interface PolicyError {
  message: string;
  pointer: string;
  line?: number;
  column?: number;
}

export type ParseResult = { ok: true; policy: ParsedPolicy } | { ok: false; errors: PolicyError[] };

export type ContextValue = string | string[];

/** A request to evaluate. */
export interface Request {
  /** IAM user/role ARN, assumed-role session ARN, account root ARN or bare account id, service principal name, or "*" for anonymous. */
  principal: string;
  /** e.g. `kms:Decrypt` (case-insensitive). */
  action: string;
  /** Resource ARN; a key policy's `"*"` always matches. */
  resource?: string;
  /** Condition keys (names case-insensitive). A key not present is absent. */
  context?: Record<string, ContextValue>;
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

export interface Evaluation {
  decision: Decision;
  /** Statements that decided: the applying Deny statements for explicit-deny, the applying Allows for allow. */
  decidedBy: Statement[];
}
