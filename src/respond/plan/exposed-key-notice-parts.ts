/**
 * The sections of an exposed-key notice about the key's activity and what was (not) done, pure. The notifier
 * renders sections as plain text and HTML (src/sinks/notify/render.ts); these have the same shape.
 */
import type { Count } from '../../trail/detect/investigation';
import type { ActivitySummary, InvestigationSummary } from './exposed-key-activity';
import type { StageOutcome } from './exposed-key-state';
import type { ManualStep } from './exposed-key-types';

export interface NoticeRow {
  label: string;
  value: string;
  href?: string;
}

export interface NoticeSection {
  heading: string;
  rows: NoticeRow[];
  pre?: string;
}

const counts = (list: Count[]): string => list.map((c) => `${c.value} (${c.count})`).join(', ');

const OUTCOME_WORD = {
  applied: 'DONE',
  'already-done': 'ALREADY DONE',
  failed: 'FAILED',
  'dry-run': 'DRY RUN, not done',
} as const;

export const actionSection = (heading: string, stages: Array<StageOutcome | undefined>): NoticeSection | undefined => {
  const rows: NoticeRow[] = [];
  for (const stage of stages) {
    if (!stage) continue;
    for (const result of stage.results) {
      const planned = stage.plan.actions.find((a) => a.idempotencyKey === result.idempotencyKey);
      rows.push({
        label: OUTCOME_WORD[result.outcome],
        value: `${planned?.awsCall ?? result.kind} ${result.target}: ${result.detail}`,
      });
    }
    for (const skipped of stage.plan.skipped) {
      rows.push({ label: 'NOT DONE', value: `${skipped.kind} ${skipped.target}: ${skipped.reason}` });
    }
  }
  return rows.length > 0 ? { heading, rows } : undefined;
};

const activityRows = (activity: ActivitySummary): NoticeRow[] => {
  const rows: NoticeRow[] = [
    {
      label: 'Events',
      value: `${activity.events}${activity.failedEvents ? ` (${activity.failedEvents} failed)` : ''}${activity.firstSeen ? `, first ${activity.firstSeen}, last ${activity.lastSeen}` : ''}`,
    },
  ];
  const add = (label: string, list: Count[]) => {
    if (list.length > 0) rows.push({ label, value: counts(list) });
  };
  if (activity.accessKeyIds.length > 1) rows.push({ label: 'Keys followed', value: activity.accessKeyIds.join(', ') });
  add('Top calls', activity.eventNames);
  add('Resources', activity.resources);
  add('Resource types', activity.resourceTypes);
  add('Source IPs', activity.sourceIPs);
  add('User agents', activity.userAgents);
  add('Regions', activity.regions);
  add('Errors', activity.errorCodes);
  if (activity.attackTools.length > 0) rows.push({ label: 'Attack tools', value: activity.attackTools.join(', ') });
  return rows;
};

export const activitySections = (investigation: InvestigationSummary): NoticeSection[] => {
  const window = `${investigation.window.since ?? 'the start'} to ${investigation.window.until ?? 'now'}`;
  const sections: NoticeSection[] = [
    {
      heading: `What the key did, ${window} (${investigation.source})`,
      rows: activityRows(investigation.key),
    },
  ];
  if (!investigation.complete) {
    sections.push({
      heading: 'The investigation is incomplete',
      rows: investigation.problems.map((problem) => ({ label: 'Not read', value: problem })),
    });
  }
  const suspicious = investigation.key.suspicious;
  if (suspicious.length > 0) {
    const more = investigation.key.suspiciousTotal - suspicious.length;
    sections.push({
      heading: `Suspicious calls (${investigation.key.suspiciousTotal})`,
      rows: [
        ...suspicious.map((call) => ({
          label: call.time,
          value: `${call.eventName}${call.errorCode ? ` (failed: ${call.errorCode})` : ''} in ${call.region ?? '?'} by ${call.caller}${call.sourceIP ? ` from ${call.sourceIP}` : ''}: ${call.reason}`,
        })),
        ...(more > 0 ? [{ label: 'More', value: `${more} more suspicious calls not listed` }] : []),
      ],
    });
  }
  const minted: NoticeRow[] = [
    ...investigation.rolesAssumed.map((role) => ({
      label: 'Assumed role',
      value: `${role.roleArn} ${role.times} time(s), ${role.first} to ${role.last}`,
    })),
    ...investigation.sessions.map((session) => ({
      label: session.eventName,
      value: `${session.accessKeyId} at ${session.time}`,
    })),
  ];
  if (minted.length > 0) sections.push({ heading: 'Credentials the key minted (they outlive it)', rows: minted });
  if (investigation.footholds.length > 0) {
    sections.push({
      heading: 'What the key created (remove it)',
      rows: investigation.footholds.map((f) => ({
        label: f.kind === 'access-key' ? 'Access key' : f.kind === 'user' ? 'IAM user' : 'Console password',
        value: `${f.name}${f.userName && f.userName !== f.name ? ` of user ${f.userName}` : ''}: ${f.eventName} at ${f.time} by ${f.caller}`,
      })),
    });
  }
  const user = investigation.user;
  const otherKeys = user?.accessKeyIds.filter((id) => !investigation.key.accessKeyIds.includes(id)) ?? [];
  if (user && (user.events > investigation.key.events || otherKeys.length > 0)) {
    sections.push({ heading: `Everything user ${user.subject} did in the window`, rows: activityRows(user) });
  }
  return sections;
};

export const manualSections = (steps: ManualStep[]): NoticeSection[] =>
  steps.map((step) => ({
    heading: `To do: ${step.title}`,
    rows: step.steps.map((text, index) => ({ label: `${index + 1}`, value: text })),
  }));
