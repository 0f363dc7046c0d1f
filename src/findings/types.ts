import type { PolicyDocument } from '../policy/types';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
export const severityRank = (s: Severity): number => SEVERITIES.length - SEVERITIES.indexOf(s); // critical=5 .. info=1

export interface Evidence {
  file?: string;
  pointer: string;
  line?: number;
  column?: number;
  sid?: string;
}

/** A request that proves the finding. */
export interface ExampleRequest {
  principal: string;
  action: string;
  context?: Record<string, string | string[]>;
}

export interface Finding {
  /** Fingerprint of rule + resource + normalised principal + action class + Sid. Never of file, line or formatting. */
  id: string;
  rule: string;
  severity: Severity;
  /** unknown = we could not tell (missing data); never a silent pass. */
  status: 'fail' | 'unknown';
  /** Key ARN, template logical id, or access key id. */
  resource: string;
  title: string;
  /** Plain language a security engineer can forward as is. */
  explanation: string;
  evidence: Evidence;
  example?: ExampleRequest;
  remediation: { summary: string; fixedPolicy?: PolicyDocument };
  /** The principal the finding is about (normalised), when there is one. */
  principal?: string;
  /** Action class the finding is about (use, admin, grant, policy, all...). */
  actionClass?: string;
  /** Set when a suppression matched: the finding is reported but does not fail the run. */
  suppressed?: { reason: string; owner?: string; expires?: string };
}
