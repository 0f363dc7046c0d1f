/** Step Functions task "Contain": deactivate the key and quarantine its user, as RESPONSE_MODE says. */
import { contain } from '../app/exposed-key';
import type { ExposedKeyState } from '../respond/plan/exposed-key-state';
import { asState, exposedKeyDeps, STORE_LOG_ACTIONS, throwIfRetryable } from './exposed-key-wiring';

/** The AWS actions this task sends (its role grants exactly these): IAM, and the remediation log in the store. */
export const permissions: readonly string[] = ['iam:UpdateAccessKey', 'iam:AttachUserPolicy', ...STORE_LOG_ACTIONS];

export const handler = async (input: unknown): Promise<ExposedKeyState> => {
  const state = asState(input);
  if (!state) throw new Error('Contain needs the state Identify returns (format keywarden.exposed-key/v1)');
  const next = await contain(state, exposedKeyDeps());
  throwIfRetryable('contain', next.contain?.results ?? []);
  return next;
};
