/**
 * The notices an exposed-key response sends to humans, pure: the response's summary and next steps, a bad event
 * (what is wrong with it; nothing was changed), and a failed workflow. Each is a finding (so every channel shows it
 * the way it shows KMS findings), a one-line subject and sections the notifier renders as text and HTML.
 */
import { fingerprint } from '../../findings/fingerprint';
import type { Finding, Severity } from '../../findings/types';
import { actionSection, activitySections, manualSections, type NoticeSection } from './exposed-key-notice-parts';
import { allResults, type ExposedKeyState } from './exposed-key-state';
import type { BadEvent, ExposedKeyCase } from './exposed-key-types';

export const EXPOSED_KEY_RULE = 'exposed-access-key';
export const BAD_EVENT_RULE = 'exposed-key-bad-event';
export const FAILED_RULE = 'exposed-key-response-failed';
export const SUBJECT_LIMIT = 99;

export interface NoticeContent {
  subject: string;
  severity: Severity;
  intro: string;
  sections: NoticeSection[];
  finding: Finding;
  /** What the notice is about: the user (or root) ARN, else the access key id. */
  subjectArn: string;
  account?: string;
  region?: string;
}

const cut = (text: string, max: number): string => {
  const chars = [...text.replace(/[\r\n\t]+/g, ' ')];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 3).join('')}...`;
};

const prefix = (state: ExposedKeyState): string =>
  `[keywarden${state.case?.rehearsal ? ' rehearsal' : ''}${state.execute ? '' : ' dry run'}]`;

const exposureSection = (found: ExposedKeyCase, state: ExposedKeyState): NoticeSection => {
  const rows = [{ label: 'Access key', value: found.accessKeyId }];
  const add = (label: string, value: string | undefined) => {
    if (value) rows.push({ label, value });
  };
  const identified = state.identified;
  add('User', identified?.root ? 'root user' : (identified?.userName ?? found.userName ?? 'unknown'));
  add('Account', found.account);
  add(
    'Reported by',
    found.reportedBy === 'trusted-advisor'
      ? 'Trusted Advisor check "Exposed Access Keys"'
      : `AWS Health ${found.eventTypeCode ?? ''}`.trim(),
  );
  add('Found at', found.exposedAt);
  add('Fraud type', found.fraudType);
  add('Support case', found.supportCaseId);
  add('Health event', found.healthEventArn);
  add('Event', [found.eventId, found.eventTime].filter(Boolean).join(' at '));
  add('Key status', identified?.status);
  if (identified?.lastUsed?.date) {
    add(
      'Last used',
      `${identified.lastUsed.date} (${identified.lastUsed.service ?? '?'} in ${identified.lastUsed.region ?? '?'})`,
    );
  }
  add('Mode', `${state.mode}${state.execute ? '' : ' (dry run: nothing was changed)'}`);
  if (found.rehearsal) add('Rehearsal', 'sent with the keywarden.test source');
  for (const note of identified?.notes ?? []) add('Note', note);
  return { heading: 'The exposed key', rows };
};

const outcomeWords = (state: ExposedKeyState): string => {
  const results = allResults(state);
  const done = (kind: string) =>
    results.some((r) => r.kind === kind && r.outcome !== 'failed' && r.outcome !== 'dry-run');
  if (results.some((r) => r.outcome === 'failed')) return 'incomplete';
  if (state.identified?.root) return 'root key, act by hand';
  if (done('delete-key')) return 'contained and deleted';
  if (done('deactivate-key')) return 'contained';
  if (state.identified?.status === 'deleted') return 'already deleted';
  if (state.identified?.blocked) return 'act by hand';
  return state.execute ? 'notify only' : 'dry run';
};

export const exposedKeyNotice = (state: ExposedKeyState, found: ExposedKeyCase): NoticeContent => {
  const identified = state.identified;
  const who = identified?.root ? 'root user' : `user ${identified?.userName ?? found.userName ?? 'unknown'}`;
  const outcome = outcomeWords(state);
  const subject = cut(`${prefix(state)} CRITICAL ${outcome}: exposed key ${found.accessKeyId} (${who})`, SUBJECT_LIMIT);
  const manual = [...(state.contain?.plan.manual ?? []), ...(state.revoke?.plan.manual ?? [])];
  const sections: NoticeSection[] = [exposureSection(found, state)];
  const actions = actionSection('What keywarden did', [state.contain, state.revoke]);
  if (actions) sections.push(actions);
  sections.push(...manualSections(manual));
  if (state.investigation) sections.push(...activitySections(state.investigation));
  const finding: Finding = {
    id: fingerprint({ rule: EXPOSED_KEY_RULE, resource: found.caseId }),
    rule: EXPOSED_KEY_RULE,
    severity: 'critical',
    status: 'fail',
    resource: found.accessKeyId,
    title: `Access key ${found.accessKeyId} of the ${who} was published where anyone can copy it`,
    explanation: `AWS found access key ${found.accessKeyId}${found.exposedAt ? ` at ${found.exposedAt}` : ' on the internet'}. Anyone who copied it can act as the ${who} until the key is inactive, and keep the temporary credentials it minted until they expire or are revoked.`,
    evidence: { pointer: found.keyPointer },
    remediation: {
      summary: `${outcome}. ${manual[0]?.title ?? 'Review the activity and remove what the key created'}.`,
    },
  };
  return {
    subject,
    severity: 'critical',
    intro: `keywarden: AWS reported access key ${found.accessKeyId} (${who}) as exposed: ${outcome}.`,
    sections,
    finding,
    subjectArn: identified?.userArn ?? found.accessKeyId,
    ...(found.account ? { account: found.account } : {}),
    ...(found.region ? { region: found.region } : {}),
  };
};

export const badEventNotice = (problem: BadEvent, state: ExposedKeyState): NoticeContent => {
  const rows = [{ label: 'Problem', value: problem.reason }];
  const add = (label: string, value: string | undefined) => {
    if (value) rows.push({ label, value });
  };
  add('Source', problem.source);
  add('Detail type', problem.detailType);
  add('Event id', problem.eventId);
  add('Account', problem.account);
  add('Access key', problem.accessKeyId);
  rows.push({ label: 'Changed', value: 'nothing: no AWS resource was touched' });
  const subject = cut(
    `${prefix(state)} HIGH exposed-key event not handled: ${problem.accessKeyId ?? problem.source ?? 'unreadable event'}`,
    SUBJECT_LIMIT,
  );
  return {
    subject,
    severity: 'high',
    intro: `keywarden could not respond to an exposed-key event: ${problem.reason}`,
    sections: [{ heading: 'The event', rows }],
    finding: {
      id: fingerprint({ rule: BAD_EVENT_RULE, resource: problem.eventId ?? problem.accessKeyId ?? problem.reason }),
      rule: BAD_EVENT_RULE,
      severity: 'high',
      status: 'unknown',
      resource: problem.accessKeyId ?? problem.eventId ?? '(event)',
      title: 'An exposed-key event could not be handled',
      explanation: `${problem.reason}. keywarden changed nothing. If a key really was exposed, contain it by hand.`,
      evidence: { pointer: '/detail' },
      remediation: {
        summary:
          'Check the event (and the EventBridge rule that sent it); if a key is exposed, deactivate it: aws iam update-access-key --status Inactive',
      },
    },
    subjectArn: problem.accessKeyId ?? problem.eventId ?? 'exposed-key-event',
    ...(problem.account ? { account: problem.account } : {}),
  };
};

export const failureNotice = (state: ExposedKeyState): NoticeContent => {
  const found = state.case;
  const error = state.failure ?? { error: 'unknown', cause: 'the workflow failed' };
  const base = found ? exposedKeyNotice(state, found) : undefined;
  const subject = cut(
    `${prefix(state)} CRITICAL exposed-key response FAILED${found ? ` for ${found.accessKeyId}` : ''}: ${error.error}`,
    SUBJECT_LIMIT,
  );
  const failed: NoticeSection = {
    heading: 'The response failed',
    rows: [
      { label: 'Error', value: error.error },
      { label: 'Cause', value: cut(error.cause ?? '', 1000) || '(none given)' },
      { label: 'Now', value: 'check the actions below; contain the key by hand where they are not DONE' },
    ],
  };
  return {
    subject,
    severity: 'critical',
    intro: `keywarden: the exposed-key response${found ? ` for ${found.accessKeyId}` : ''} failed: ${error.error}.`,
    sections: [failed, ...(base?.sections ?? [])],
    finding: {
      id: fingerprint({ rule: FAILED_RULE, resource: found?.caseId ?? error.error }),
      rule: FAILED_RULE,
      severity: 'critical',
      status: 'unknown',
      resource: found?.accessKeyId ?? '(event)',
      title: 'The exposed-key response failed',
      explanation: `${error.error}: ${cut(error.cause ?? '', 300)}. Whatever is not listed as DONE below was not done.`,
      evidence: { pointer: '/failure' },
      remediation: {
        summary: 'Contain the key by hand (aws iam update-access-key --status Inactive), then re-run the response.',
      },
    },
    subjectArn: base?.subjectArn ?? found?.accessKeyId ?? 'exposed-key-response',
    ...(found?.account ? { account: found.account } : {}),
  };
};
