/**
 * The notify step of the exposed-key response: the notice as the notifier's message (rendered by
 * src/sinks/notify/render.ts), sent once per case and channel. The outbox in the store is the gate: enqueueing a
 * notice id the store already knows sends nothing, so a second event for the same case notifies nobody again.
 * This step sends its notices itself, directly through each channel, and acknowledges them: the live watch's outbox
 * worker (src/app/deliver.ts) sends only its own alert payloads and dead-letters anything else it claims, so a send
 * that fails is recorded at once as a dead letter with its error (never left pending for that worker), and the
 * step's retry, or a re-run of the response, sends the dead notice again.
 */
import type { Finding } from '../findings/types';
import {
  badEventNotice,
  exposedKeyNotice,
  failureNotice,
  type NoticeContent,
} from '../respond/plan/exposed-key-notice';
import { allResults, type Delivery, type ExposedKeyState, type NoticeOutcome } from '../respond/plan/exposed-key-state';
import { jsonFinding } from '../sinks/format/json-key';
import type { Channel } from '../sinks/notify/channel';
import { renderHtml, renderText } from '../sinks/notify/render';
import { NOTIFICATION_FORMAT, type NotificationMessage, type NotificationPayload } from '../sinks/notify/types';
import type { Store } from '../store/store';

export interface NotifyDeps {
  channels: readonly Channel[];
  store?: Store;
  now: () => string;
}

/** The machine-readable part of an exposed-key notice (webhook body, EventBridge detail), besides the finding. */
export interface ExposedKeyPayload extends NotificationPayload {
  response: {
    kind: NoticeOutcome['kind'];
    caseId?: string;
    mode: ExposedKeyState['mode'];
    execute: boolean;
    case?: ExposedKeyState['case'];
    problem?: ExposedKeyState['problem'];
    identified?: ExposedKeyState['identified'];
    results: ReturnType<typeof allResults>;
    investigation?: ExposedKeyState['investigation'];
    failure?: ExposedKeyState['failure'];
  };
}

export const noticeKind = (state: ExposedKeyState): NoticeOutcome['kind'] =>
  state.failure ? 'failure' : state.problem || !state.case ? 'bad-event' : 'notice';

export const noticeContent = (state: ExposedKeyState): NoticeContent => {
  const kind = noticeKind(state);
  if (kind === 'failure') return failureNotice(state);
  if (kind === 'bad-event' || !state.case) {
    return badEventNotice(state.problem ?? { reason: 'the event opened no case' }, state);
  }
  return exposedKeyNotice(state, state.case);
};

export const noticeMessage = (
  state: ExposedKeyState,
  content: NoticeContent = noticeContent(state),
): NotificationMessage => {
  const body = { intro: content.intro, sections: content.sections };
  const finding: Finding = content.finding;
  const payload: ExposedKeyPayload = {
    format: NOTIFICATION_FORMAT,
    subject: content.subject,
    severity: content.severity,
    key: {
      arn: content.subjectArn,
      ...(content.account ? { account: content.account } : {}),
      ...(content.region ? { region: content.region } : {}),
      aliases: [],
    },
    findings: [jsonFinding(finding)],
    resolved: [],
    response: {
      kind: noticeKind(state),
      ...(state.case ? { caseId: state.case.caseId, case: state.case } : {}),
      mode: state.mode,
      execute: state.execute,
      ...(state.problem ? { problem: state.problem } : {}),
      ...(state.identified ? { identified: state.identified } : {}),
      results: allResults(state),
      ...(state.investigation ? { investigation: state.investigation } : {}),
      ...(state.failure ? { failure: state.failure } : {}),
    },
  };
  return {
    subject: content.subject,
    text: renderText(body),
    html: renderHtml(body, content.subject),
    severity: content.severity,
    payload,
  };
};

/** One notice per case (or bad event, or failed execution) and channel. */
export const noticeId = (state: ExposedKeyState, channel: string): string => {
  const kind = noticeKind(state);
  if (kind === 'notice' && state.case) return `${state.case.caseId}/notice/${channel}`;
  if (kind === 'failure') return `${state.case?.caseId ?? 'exposed-key'}/failure/${state.startedAt}/${channel}`;
  const problem = state.problem;
  const which = problem?.eventId ?? `${problem?.source ?? 'unknown'}/${problem?.accessKeyId ?? state.startedAt}`;
  return `exposed-key-bad-event/${which}/${channel}`;
};

const retryableOf = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true;
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const sendOne = async (
  channel: Channel,
  message: NotificationMessage,
  id: string,
  deps: NotifyDeps,
  resend: boolean,
): Promise<Delivery & { retryable?: boolean }> => {
  try {
    await channel.send(message);
    await deps.store?.acknowledge(id, deps.now());
    return { channel: channel.name, outcome: 'sent', detail: resend ? 'sent on retry' : 'sent' };
  } catch (error) {
    const retryable = retryableOf(error);
    await deps.store?.fail(id, messageOf(error), null);
    return {
      channel: channel.name,
      outcome: 'failed',
      detail: `${messageOf(error)}${retryable ? ' (will be retried)' : ' (not retryable: fix the channel)'}`,
      retryable,
    };
  }
};

const deliverTo = async (
  channel: Channel,
  message: NotificationMessage,
  state: ExposedKeyState,
  deps: NotifyDeps,
): Promise<Delivery & { retryable?: boolean }> => {
  const id = noticeId(state, channel.name);
  if (!deps.store) return sendOne(channel, message, id, deps, false);
  const now = deps.now();
  if (await deps.store.enqueue({ id, channel: channel.name, payload: message }, now)) {
    return sendOne(channel, message, id, deps, false);
  }
  const known = await deps.store.getMessage(id);
  if (known?.status === 'delivered') {
    return { channel: channel.name, outcome: 'already-sent', detail: `already sent at ${known.deliveredAt ?? '?'}` };
  }
  if (known?.status === 'dead') {
    // An earlier send of this notice failed (or another worker gave up on it): this step sends it again.
    return sendOne(channel, message, id, deps, true);
  }
  return { channel: channel.name, outcome: 'queued', detail: `being sent since ${known?.createdAt ?? '?'}` };
};

export type NotifyResult = Omit<NoticeOutcome, 'deliveries'> & {
  deliveries: Array<Delivery & { retryable?: boolean }>;
};

/** Build the notice and send it through every channel (each on its own: one failing never stops the others). */
export const sendNotice = async (state: ExposedKeyState, deps: NotifyDeps): Promise<NotifyResult> => {
  const message = noticeMessage(state);
  const kind = noticeKind(state);
  if (!state.execute) {
    return {
      kind,
      subject: message.subject,
      deliveries: deps.channels.map((c) => ({ channel: c.name, outcome: 'dry-run', detail: 'dry run: not sent' })),
    };
  }
  const deliveries = [];
  for (const channel of deps.channels) deliveries.push(await deliverTo(channel, message, state, deps));
  return { kind, subject: message.subject, deliveries };
};
