/**
 * The response as the CLI prints it, pure: first the plan (what would be done and why, what is ruled out, what only
 * a human can do), then the results (each action's outcome, the key's activity, the notice).
 */
import type { Count } from '../../trail/detect/investigation';
import { allResults, type ExposedKeyState, type StageOutcome } from './exposed-key-state';
import type { ManualStep } from './exposed-key-types';

const top = (list: Count[], n = 5): string =>
  list
    .slice(0, n)
    .map((c) => `${c.value} (${c.count})`)
    .join(', ') || '-';

const planLines = (title: string, stage: StageOutcome | undefined, counter: { n: number }): string[] => {
  if (!stage) return [];
  const lines = [`  ${title}:`];
  for (const action of stage.plan.actions) {
    lines.push(
      `    ${++counter.n}. ${action.awsCall} ${action.target}${action.irreversible ? ' (cannot be undone)' : ''}`,
    );
    lines.push(`       ${action.why}`);
  }
  if (stage.plan.actions.length === 0) lines.push('    nothing to do on AWS');
  for (const skipped of stage.plan.skipped)
    lines.push(`    not done: ${skipped.kind} ${skipped.target}: ${skipped.reason}`);
  return lines;
};

const manualLines = (steps: ManualStep[]): string[] =>
  steps.length === 0
    ? []
    : [
        '  by hand:',
        ...steps.flatMap((step) => [
          `    - ${step.title}`,
          ...step.steps.map((text, i) => `        ${i + 1}. ${text}`),
        ]),
      ];

export const renderResponse = (state: ExposedKeyState): string => {
  if (!state.case) {
    const reason = state.problem?.reason ?? 'the event opened no case';
    return `keywarden: cannot respond to this event: ${reason}\nNothing was changed.\n`;
  }
  const found = state.case;
  const identified = state.identified;
  const who = identified?.root ? 'root user' : `user ${identified?.userName ?? found.userName ?? 'unknown'}`;
  const lines = [
    `Exposed access key ${found.accessKeyId} (${who}${found.account ? `, account ${found.account}` : ''}), reported by ${found.reportedBy === 'health' ? `AWS Health ${found.eventTypeCode ?? ''}`.trim() : 'Trusted Advisor'}${found.rehearsal ? ' [rehearsal: keywarden.test]' : ''}`,
    `Mode: ${state.mode}${state.execute ? '' : ' (dry run: nothing is changed or sent; add --execute to act)'}`,
    `Key status: ${identified?.status ?? 'unknown'}${identified?.blocked ? `; keywarden will not act: ${identified.blocked}` : ''}`,
    ...(identified?.notes ?? []).map((note) => `Note: ${note}`),
    '',
    'Plan',
  ];
  const counter = { n: 0 };
  lines.push(...planLines('contain', state.contain, counter));
  lines.push(...planLines('after the investigation', state.revoke, counter));
  lines.push(...manualLines([...(state.contain?.plan.manual ?? []), ...(state.revoke?.plan.manual ?? [])]));
  lines.push('', 'Results');
  for (const result of allResults(state)) {
    lines.push(`  ${result.outcome.toUpperCase()} ${result.kind} ${result.target}: ${result.detail}`);
  }
  const investigation = state.investigation;
  if (investigation) {
    const key = investigation.key;
    lines.push(
      `  Activity ${investigation.window.since} to ${investigation.window.until} (${investigation.source}): ${key.events} events${key.firstSeen ? `, first ${key.firstSeen}, last ${key.lastSeen}` : ''}`,
      `    calls: ${top(key.eventNames)}`,
      `    source IPs: ${top(key.sourceIPs)}; regions: ${top(key.regions)}; errors: ${top(key.errorCodes)}`,
      `    suspicious calls: ${key.suspiciousTotal}; roles assumed: ${investigation.rolesAssumed.length}; created: ${investigation.footholds.map((f) => `${f.kind} ${f.name}`).join(', ') || 'nothing'}`,
    );
    for (const call of key.suspicious.slice(0, 10)) {
      lines.push(`    ! ${call.time} ${call.eventName} in ${call.region ?? '?'}: ${call.reason}`);
    }
    if (!investigation.complete) {
      lines.push('    incomplete:', ...investigation.problems.slice(0, 10).map((p) => `      ${p}`));
    }
  }
  if (state.notice) {
    lines.push(`  Notice: ${state.notice.subject}`);
    for (const delivery of state.notice.deliveries) {
      lines.push(`    ${delivery.channel}: ${delivery.outcome} (${delivery.detail})`);
    }
    if (state.notice.deliveries.length === 0) lines.push('    no channel configured (--sns-topic): not sent');
  }
  return `${lines.join('\n')}\n`;
};
