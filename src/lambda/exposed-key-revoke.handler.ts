/** Step Functions task "Revoke": deny the older sessions the key minted; delete the key in contain-and-delete mode. */
import { revoke } from '../app/exposed-key';
import type { ExposedKeyState } from '../respond/plan/exposed-key-state';
import { asState, exposedKeyDeps, STORE_LOG_ACTIONS, throwIfRetryable } from './exposed-key-wiring';

/** The AWS actions this task sends (its role grants exactly these): IAM, and the remediation log in the store. */
export const permissions: readonly string[] = [
  'iam:PutRolePolicy',
  'iam:PutUserPolicy',
  'iam:DeleteAccessKey',
  ...STORE_LOG_ACTIONS,
];

export const handler = async (input: unknown): Promise<ExposedKeyState> => {
  const state = asState(input);
  if (!state) throw new Error('Revoke needs the state Investigate returns (format keywarden.exposed-key/v1)');
  const next = await revoke(state, exposedKeyDeps());
  throwIfRetryable('revoke', next.revoke?.results ?? []);
  return next;
};
