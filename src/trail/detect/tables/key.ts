import type { KeyTimelineResult } from '../timeline';
import { counts, table } from './table';

export const renderKeyTimeline = (result: KeyTimelineResult): string => {
  const parts = [
    `Key timeline for ${result.subject}`,
    `Key ARNs: ${result.keyArns.join(', ') || '-'}`,
    `Events: ${result.events}   Accounts calling: ${counts(result.accounts)}`,
  ];
  if (result.entries.length > 0) {
    parts.push(
      `Changes (${result.entries.length}):`,
      table(
        ['time', 'event', 'by', 'source IP', 'result', 'policy reach'],
        result.entries.map((entry) => [
          entry.time,
          entry.eventName,
          entry.caller,
          entry.sourceIP ?? '-',
          entry.errorCode ?? 'ok',
          entry.reach ?? '',
        ]),
      ),
    );
  }
  if (result.usage.length > 0) {
    parts.push(
      `Use and reads (${result.usage.length} principal/operation groups):`,
      table(
        ['principal', 'account', 'operation', 'calls', 'failed', 'first', 'last', 'outsider'],
        result.usage.map((group) => [
          group.principal,
          group.account ?? '-',
          group.operation,
          group.calls,
          group.failedCalls,
          group.first,
          group.last,
          group.outsider ? 'YES' : '',
        ]),
      ),
    );
  }
  return parts.join('\n');
};
