/**
 * Step Functions task "Notify failure": a step failed after its retries (the Catch put `{ Error, Cause }` at
 * `$.failure`). Tells humans what failed and what was done before it; the input is the failed task's input, so the
 * raw event when Identify itself failed.
 */
import { notify } from '../app/exposed-key';
import { parseExposedKeyEvent } from '../respond/plan/exposed-key-events';
import { type ExposedKeyState, STATE_FORMAT } from '../respond/plan/exposed-key-state';
import { asState, exposedKeyDeps, responseMode, throwIfRetryable } from './exposed-key-wiring';

/** The AWS actions this task sends (its role grants exactly these): the alerts topic only. */
export const permissions: readonly string[] = ['sns:Publish'];

interface CaughtError {
  Error?: string;
  Cause?: string;
}

/** A Lambda error's Cause is JSON ({ errorType, errorMessage, trace }): keep the message, drop the stack. */
const causeText = (cause: string | undefined): string | undefined => {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: a States.* error's plain text
  }
  return cause;
};

export const handler = async (input: unknown): Promise<ExposedKeyState> => {
  // Without the store: the failure may be the store's, and the notice must still go out (its id is per execution).
  const { store: _store, ...deps } = exposedKeyDeps();
  const record = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const caught = (record.failure ?? {}) as CaughtError;
  const { failure: _caught, ...rest } = record;
  let state = asState(rest);
  if (!state) {
    const parsed = parseExposedKeyEvent(rest);
    state = {
      format: STATE_FORMAT,
      mode: responseMode(),
      execute: true,
      startedAt: deps.now(),
      ...(parsed.ok ? { case: parsed.case } : { problem: parsed.problem }),
    };
  }
  const cause = causeText(caught.Cause);
  const failed: ExposedKeyState = {
    ...state,
    failure: { error: caught.Error ?? 'States.TaskFailed', ...(cause ? { cause } : {}) },
  };
  const { state: next, notice } = await notify(failed, deps);
  throwIfRetryable('notify failure', notice.deliveries);
  return next;
};
