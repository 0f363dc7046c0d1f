import type { ExposuresResult, KeyChange } from '../exposures';
import { table } from './table';

const notes = (change: KeyChange): string => {
  const list = [
    ...change.marks,
    ...change.findings.map((finding) => `${finding.severity} ${finding.rule}`),
    ...(change.policyError ? [change.policyError] : []),
  ];
  if (change.grant) {
    list.unshift(`grantee ${change.grant.grantee ?? '?'}: ${change.grant.operations.join(', ') || '-'}`);
  }
  return list.join('; ');
};

export const renderExposures = (result: ExposuresResult): string => {
  const parts = [
    `Key policy and grant changes: ${result.changes.length} (policies not valid JSON: ${result.invalidPolicies}, not judged: ${result.unjudgedPolicies})`,
  ];
  if (result.changes.length > 0) {
    parts.push(
      table(
        ['time', 'event', 'key', 'by', 'result', 'reach', 'notes'],
        result.changes.map((change) => [
          change.time,
          change.eventName,
          change.key,
          change.caller,
          change.errorCode ?? 'ok',
          change.reach,
          notes(change),
        ]),
      ),
    );
  }
  if (result.periods.length > 0) {
    parts.push(
      `Exposure periods (${result.periods.length}):`,
      table(
        ['key', 'reach', 'via', 'from', 'until', 'set by', 'ended by'],
        result.periods.map((period) => [
          period.key,
          period.reach,
          period.kind,
          period.from,
          period.until ?? 'still in effect',
          period.setBy,
          period.endedBy ?? '-',
        ]),
      ),
    );
  }
  return parts.join('\n');
};
