import type { AccessMap } from '../kms/access-map';
import type { KeySnapshot } from '../kms/snapshot';
import type { Finding, Severity } from './types';

export type ComplianceStatus = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

/** One per key: what every sink receives. */
export interface KeyReport {
  key: KeySnapshot;
  access: AccessMap;
  findings: Finding[];
  compliance: { status: ComplianceStatus; reason: string };
}

/** Totals of a run, returned by every sink's close(). */
export interface RunSummary {
  keys: number;
  findings: Record<Severity, number>;
  unknown: number;
  gaps: number;
}
