/**
 * The exposed access key response as a use case: identify -> contain -> investigate -> revoke -> notify. Each step is
 * a function of the state and the adapters it is given; the Step Functions tasks (src/lambda/exposed-key-*) and
 * `keywarden respond exposed-key` (src/cli/respond-command.ts) call the same functions. Safe to run twice: every
 * action goes through the remediation log in the store (an action already applied for the case is not applied
 * again), and the notice through the outbox (one per case and channel). Nothing here logs a secret: log fields are
 * identifiers, counts and outcomes.
 */
import { unknown } from '../kms/known';
import { type ActivityRun, readKeyActivity, summariseInvestigation } from '../respond/plan/exposed-key-activity';
import { parseExposedKeyEvent } from '../respond/plan/exposed-key-events';
import { identifyKey } from '../respond/plan/exposed-key-identify';
import { planContainment, planRevocation } from '../respond/plan/exposed-key-plan';
import type { ExposedKeyIam } from '../respond/plan/exposed-key-ports';
import { type ExposedKeyState, STATE_FORMAT } from '../respond/plan/exposed-key-state';
import type {
  ActionResult,
  Fact,
  KeyOwner,
  KeyStatus,
  PlannedAction,
  ResponseMode,
} from '../respond/plan/exposed-key-types';
import type { Channel } from '../sinks/notify/channel';
import type { Store } from '../store/store';
import type { ReadReport } from '../trail/detect/read-report';
import type { ReadEvents } from '../trail/detect/run';
import { isoSeconds, parseTimeBound } from '../trail/detect/time';
import { type NotifyResult, sendNotice } from './exposed-key-notify';

export const DEFAULT_INVESTIGATION_WINDOW = '24h';

export interface ExposedKeyDeps {
  /** AWS; absent when it cannot be reached: the steps then plan from the event alone. */
  iam?: ExposedKeyIam;
  /** Why `iam` is absent, for the notes. */
  iamUnavailable?: string;
  store?: Store;
  /** CloudTrail events (LookupEvents in every enabled region for the response). */
  readEvents?: ReadEvents;
  /** What the reads could not read. */
  readReport?: () => ReadReport;
  /** How the CloudTrail source is named in the notice. */
  trailSource?: string;
  channels: readonly Channel[];
  /** ISO 8601 now; the steps never read the clock themselves. */
  now: () => string;
  /** aws, aws-cn, aws-us-gov. */
  partition?: string;
  /** Start of the investigation window: a duration before now (24h, 7d) or an ISO time. */
  since?: string;
  /** Who runs the response, for the remediation log (the CLI user or the Lambda role). */
  actor?: string;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

const noAws = (deps: ExposedKeyDeps) => `AWS not reachable: ${deps.iamUnavailable ?? 'no AWS credentials or endpoint'}`;

/** Step 1: validate the event and find whose key it is. A bad event sets `problem` and reads nothing from AWS. */
export const identify = async (
  event: unknown,
  settings: { mode: ResponseMode; execute: boolean },
  deps: ExposedKeyDeps,
): Promise<ExposedKeyState> => {
  const state: ExposedKeyState = { format: STATE_FORMAT, ...settings, startedAt: deps.now() };
  const parsed = parseExposedKeyEvent(event);
  if (!parsed.ok) {
    deps.log?.('exposed-key.bad-event', { reason: parsed.problem.reason, eventId: parsed.problem.eventId });
    return { ...state, problem: parsed.problem };
  }
  const found = parsed.case;
  const iam = deps.iam;
  const callerAccount: Fact<string> = iam ? await iam.callerAccount() : unknown(noAws(deps));
  const owner: Fact<KeyOwner> = iam ? await iam.keyOwner(found.accessKeyId) : unknown(noAws(deps));
  const userName = owner.ok && owner.value.found ? (owner.value.userName ?? found.userName) : found.userName;
  const isRoot = found.root || (owner.ok && owner.value.found && owner.value.root);
  const status: Fact<KeyStatus> =
    iam && userName && !isRoot
      ? await iam.keyStatus(userName, found.accessKeyId)
      : unknown(iam ? 'the user is not known' : noAws(deps));
  const identified = identifyKey(found, { callerAccount, owner, status }, deps.partition);
  deps.log?.('exposed-key.identified', {
    caseId: found.caseId,
    userName: identified.userName,
    root: identified.root,
    status: identified.status,
    blocked: identified.blocked,
  });
  return { ...state, case: found, identified };
};

/** Apply planned actions once per case: the remediation log in the store remembers what was done. */
const runActions = async (
  actions: PlannedAction[],
  state: ExposedKeyState,
  deps: ExposedKeyDeps,
): Promise<ActionResult[]> => {
  const results: ActionResult[] = [];
  for (const action of actions) {
    const base = { kind: action.kind, target: action.target, idempotencyKey: action.idempotencyKey };
    let result: ActionResult;
    const done = state.execute ? await deps.store?.getAction(action.idempotencyKey) : undefined;
    if (!state.execute) result = { ...base, outcome: 'dry-run', detail: `would call ${action.awsCall}` };
    else if (done && (done.outcome === 'applied' || done.outcome === 'skipped')) {
      result = { ...base, outcome: 'already-done', detail: `done for this case at ${done.at}`, at: done.at };
    } else if (!deps.iam) result = { ...base, outcome: 'failed', detail: noAws(deps), retryable: false };
    else {
      result = await deps.iam.apply(action);
      if (result.outcome === 'applied' || result.outcome === 'already-done') {
        await deps.store?.recordAction({
          idempotencyKey: action.idempotencyKey,
          at: result.at ?? deps.now(),
          action: action.awsCall.replace(/^iam:/, ''),
          target: action.target,
          outcome: result.outcome === 'applied' ? 'applied' : 'skipped',
          ...(deps.actor ? { actor: deps.actor } : {}),
          detail: { caseId: state.case?.caseId, kind: action.kind, result: result.detail },
        });
      }
    }
    deps.log?.('exposed-key.action', {
      caseId: state.case?.caseId,
      ...base,
      outcome: result.outcome,
      detail: result.detail,
    });
    results.push(result);
  }
  return results;
};

/** Step 2: deactivate the key and quarantine its user, as the mode allows. */
export const contain = async (state: ExposedKeyState, deps: ExposedKeyDeps): Promise<ExposedKeyState> => {
  if (!state.case || !state.identified) return state;
  const plan = planContainment(state.case, state.identified, state.mode, deps.partition);
  return { ...state, contain: { plan, results: await runActions(plan.actions, state, deps) } };
};

async function* nothingRead(): AsyncGenerator<never> {}

/** Step 3: what the key did, every page of every region, following the credentials it minted. */
export const investigate = async (state: ExposedKeyState, deps: ExposedKeyDeps): Promise<ExposedKeyState> => {
  if (!state.case) return state;
  const nowIso = deps.now();
  const nowMs = Date.parse(nowIso);
  const since = parseTimeBound(deps.since ?? DEFAULT_INVESTIGATION_WINDOW, nowMs);
  const sinceMs = since.ok ? since.ms : nowMs - 86_400_000;
  const window = { since: sinceMs, until: nowMs };
  const problems: string[] = since.ok ? [] : [`${since.reason}; the last 24 hours were read`];
  let activity: ActivityRun | undefined;
  if (!deps.readEvents) problems.push(`CloudTrail was not read: ${noAws(deps)}`);
  else {
    try {
      activity = await readKeyActivity(deps.readEvents, {
        accessKeyId: state.case.accessKeyId,
        ...(state.identified?.userName ? { userName: state.identified.userName } : {}),
        window,
      });
    } catch (error) {
      problems.push(`reading CloudTrail failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const problem of deps.readReport?.().problems ?? []) {
      if (problem.error) problems.push(`${problem.file}: ${problem.error}`);
    }
  }
  activity ??= await readKeyActivity(nothingRead, { accessKeyId: state.case.accessKeyId, window });
  const investigation = summariseInvestigation(activity, {
    window: { since: isoSeconds(sinceMs), until: isoSeconds(nowMs) },
    source: deps.trailSource ?? 'CloudTrail LookupEvents',
    problems,
  });
  deps.log?.('exposed-key.investigated', {
    caseId: state.case.caseId,
    events: investigation.key.events,
    suspicious: investigation.key.suspiciousTotal,
    rolesAssumed: investigation.rolesAssumed.length,
    complete: investigation.complete,
  });
  return { ...state, investigation };
};

/** Step 4: revoke the sessions the key minted, and delete the key when the mode says so. */
export const revoke = async (state: ExposedKeyState, deps: ExposedKeyDeps): Promise<ExposedKeyState> => {
  if (!state.case || !state.identified || !state.investigation) return state;
  const plan = planRevocation({
    found: state.case,
    identified: state.identified,
    investigation: state.investigation,
    mode: state.mode,
    now: isoSeconds(Date.parse(deps.now())),
  });
  return { ...state, revoke: { plan, results: await runActions(plan.actions, state, deps) } };
};

/** Step 5 (and the failure path): tell humans, once per case and channel. */
export const notify = async (
  state: ExposedKeyState,
  deps: ExposedKeyDeps,
): Promise<{ state: ExposedKeyState; notice: NotifyResult }> => {
  const notice = await sendNotice(state, { channels: deps.channels, store: deps.store, now: deps.now });
  deps.log?.('exposed-key.notified', {
    caseId: state.case?.caseId,
    kind: notice.kind,
    deliveries: notice.deliveries.map((d) => `${d.channel}: ${d.outcome}`),
  });
  const { deliveries, kind, subject } = notice;
  return {
    state: {
      ...state,
      notice: {
        kind,
        subject,
        deliveries: deliveries.map((d) => ({ channel: d.channel, outcome: d.outcome, detail: d.detail })),
      },
    },
    notice,
  };
};

/** All the steps in order, as the CLI runs them. */
export const respondToExposedKey = async (
  event: unknown,
  settings: { mode: ResponseMode; execute: boolean },
  deps: ExposedKeyDeps,
): Promise<ExposedKeyState> => {
  let state = await identify(event, settings, deps);
  state = await contain(state, deps);
  state = await investigate(state, deps);
  state = await revoke(state, deps);
  return (await notify(state, deps)).state;
};
