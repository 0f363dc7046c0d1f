/** The contract of a rule: a pure function of an analysed key. One folder per rule: src/rules/<id>/. */
import type { z } from 'zod';
import type { Finding, Severity } from '../findings/types';
import type { AccessMap } from '../kms/access-map';
import type { Grant, KeySnapshot } from '../kms/snapshot';
import type { ParsedPolicy, PolicyDocument } from '../policy/types';

export interface Trusted {
  /** Trusted outside accounts (the key's own account is always trusted). */
  accounts: string[];
  /** Trusted AWS Organizations ids (o-...). */
  organizations: string[];
  /** Trusted organization paths (o-.../r-.../ou-.../), matched as prefixes of aws:PrincipalOrgPaths values. */
  orgPaths: string[];
}

export interface AnalysedKey {
  snapshot: KeySnapshot;
  access: AccessMap;
  /** The key policy, when it could be read. */
  policy?: ParsedPolicy;
  /** The grants, when they could be read; undefined when unknown or not carried by the input. */
  grants?: Grant[];
}

export interface RuleContext<P = Record<string, unknown>> {
  trusted: Trusted;
  params: P;
}

/** What a rule reports; the engine adds id, severity, resource and evidence positions. */
export interface Draft {
  status?: 'fail' | 'unknown';
  title: string;
  explanation: string;
  /** JSON pointer into the key policy (or `grant:<id>`, or '' for the key itself). */
  pointer: string;
  sid?: string;
  principal?: string;
  actionClass?: string;
  example?: Finding['example'];
  remediation: { summary: string; fixedPolicy?: PolicyDocument };
}

export interface RuleDocs {
  what: string;
  why: string;
  fix: string;
  references: string[];
}

export interface Rule<S extends z.ZodType = z.ZodType> {
  /** Equals the folder name; the stable name that configuration, suppressions and SARIF use. */
  id: string;
  title: string;
  severity: Severity;
  docs: RuleDocs;
  /** AWS API permissions the rule needs to judge a live key (feeds docs/permissions.md). */
  permissions: string[];
  /** The rule's parameters (keywarden.yaml `rules.<id>.params`), with defaults. */
  parameters: S;
  check(key: AnalysedKey, context: RuleContext<z.infer<S>>): Draft[];
}
