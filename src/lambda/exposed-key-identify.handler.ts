/** Step Functions task "Identify": validate the exposed-key event and find whose key it is. */
import { identify } from '../app/exposed-key';
import type { ExposedKeyState } from '../respond/plan/exposed-key-state';
import { exposedKeyDeps, RetryableStepError, responseMode } from './exposed-key-wiring';

/** The AWS actions this task sends (its role grants exactly these). */
export const permissions: readonly string[] = [
  'sts:GetCallerIdentity',
  'iam:GetAccessKeyLastUsed',
  'iam:ListAccessKeys',
];

export const handler = async (event: unknown): Promise<ExposedKeyState> => {
  const state = await identify(event, { mode: responseMode(), execute: true }, exposedKeyDeps());
  if (state.identified?.retryable) {
    throw new RetryableStepError(`identify: AWS could not be read for now: ${state.identified.notes.join('; ')}`);
  }
  return state;
};
