import type { RansomResult } from '../ransom';
import { table } from './table';

export const renderRansom = (result: RansomResult): string => {
  const parts = [
    `Ransom pattern: one principal disabling, scheduling for deletion or locking out >= ${result.threshold} keys within ${result.windowMinutes} minutes.`,
    `Candidate actions (successful): ${result.candidates}; incidents: ${result.incidents.length}`,
  ];
  for (const incident of result.incidents) {
    const actions = Object.entries(incident.actions)
      .map(([action, count]) => `${action} x${count}`)
      .join(', ');
    parts.push(
      `${incident.principal}: ${incident.keys.length} keys, ${incident.first} to ${incident.last} (${actions})`,
      table(
        ['time', 'action', 'key', 'caller', 'source IP'],
        incident.steps.map((step) => [step.time, step.action, step.key, step.caller, step.sourceIP ?? '-']),
      ),
    );
  }
  return parts.join('\n');
};
