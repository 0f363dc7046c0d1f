/** Step Functions task "Notify" (and "Notify bad event"): the summary and next steps, once per case and channel. */
import { notify } from '../app/exposed-key';
import type { ExposedKeyState } from '../respond/plan/exposed-key-state';
import { asState, exposedKeyDeps, STORE_OUTBOX_ACTIONS, throwIfRetryable } from './exposed-key-wiring';

/** The AWS actions this task sends (its role grants exactly these): the alerts topic, and the outbox in the store. */
export const permissions: readonly string[] = ['sns:Publish', ...STORE_OUTBOX_ACTIONS];

export const handler = async (input: unknown): Promise<ExposedKeyState> => {
  const state = asState(input);
  if (!state) throw new Error('Notify needs the state of the previous task (format keywarden.exposed-key/v1)');
  const { state: next, notice } = await notify(state, exposedKeyDeps());
  throwIfRetryable('notify', notice.deliveries);
  return next;
};
