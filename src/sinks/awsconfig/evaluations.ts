/**
 * KeyReports -> AWS Config evaluations (PutEvaluations' Evaluation shape), pure. The annotation (at most 256
 * characters) names the most important finding; a key whose policy could not be read says how to fix it.
 */
import type { KeyReport } from '../../findings/report';
import { type Finding, severityRank } from '../../findings/types';
import { KMS_KEY } from './item';

export type ComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE' | 'INSUFFICIENT_DATA';

/** PutEvaluations' Evaluation. */
export interface Evaluation {
  ComplianceResourceType: string;
  ComplianceResourceId: string;
  ComplianceType: ComplianceType;
  Annotation: string;
  OrderingTimestamp: Date;
}

/** PutEvaluations accepts at most 100 evaluations per call. */
export const MAX_EVALUATIONS_PER_CALL = 100;
/** AWS Config's limit on an annotation. */
export const MAX_ANNOTATION = 256;

/** Cuts text to `max` characters (code points), ending with an ellipsis when cut. */
export function truncate(text: string, max = MAX_ANNOTATION): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  if (chars.length <= max) return chars.join('') || '-';
  return `${chars.slice(0, max - 1).join('')}…`;
}

export function batches<T>(items: readonly T[], size = MAX_EVALUATIONS_PER_CALL): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What counts against the key, most important first: severity, then could-not-tell before fail. */
export function importantFindings(report: KeyReport): Finding[] {
  return report.findings
    .filter((f) => (f.status === 'unknown' && f.severity !== 'info') || (!f.suppressed && f.severity !== 'info'))
    .sort(
      (a, b) =>
        severityRank(b.severity) - severityRank(a.severity) ||
        Number(b.status === 'unknown') - Number(a.status === 'unknown'),
    );
}

/** The reason a policy could not be read, shortened to its error code when it has one. */
function readFailure(report: KeyReport): string {
  const policy = report.key.policy;
  if (policy.ok) return '';
  const code = /GetKeyPolicy failed: (\w+)/.exec(policy.reason)?.[1];
  return code ? ` (${code})` : '';
}

export function annotationOf(report: KeyReport): string {
  if (report.compliance.status !== 'NON_COMPLIANT') return truncate(report.compliance.reason);
  const [top, ...rest] = importantFindings(report);
  if (!top) return truncate(report.compliance.reason);
  const more = rest.length ? ` (+${rest.length} more: ${[...new Set(rest.map((f) => f.rule))].join(', ')})` : '';
  if (top.rule === 'policy-unreadable')
    return truncate(
      `Key policy could not be read${readFailure(report)}: grant this rule's Lambda role kms:GetKeyPolicy in the key policy, then re-evaluate.${more}`,
    );
  return truncate(`[${top.severity}] ${top.rule}: ${top.title}${more}`);
}

/** The resource id Config uses for a key: its key id. */
export const keyIdOf = (report: KeyReport): string =>
  report.key.metadata.ok ? report.key.metadata.value.KeyId : (report.key.arn.split('/').pop() ?? report.key.arn);

export function evaluationOf(report: KeyReport, orderingTimestamp: Date, resourceId = keyIdOf(report)): Evaluation {
  return {
    ComplianceResourceType: KMS_KEY,
    ComplianceResourceId: resourceId,
    ComplianceType: report.compliance.status,
    Annotation: annotationOf(report),
    OrderingTimestamp: orderingTimestamp,
  };
}

export function notApplicable(
  resourceId: string,
  reason: string,
  orderingTimestamp: Date,
  resourceType = KMS_KEY,
): Evaluation {
  return {
    ComplianceResourceType: resourceType,
    ComplianceResourceId: resourceId,
    ComplianceType: 'NOT_APPLICABLE',
    Annotation: truncate(reason),
    OrderingTimestamp: orderingTimestamp,
  };
}
