/** Step Functions task "Notify" (and "Notify bad event"): the summary and next steps, once per case and channel. */
import { notify } from '../app/exposed-key';
import type { ExposedKeyState } from '../respond/plan/exposed-key-state';
import { asState, exposedKeyDeps, throwIfRetryable } from './exposed-key-wiring';

export const handler = async (input: unknown): Promise<ExposedKeyState> => {
  const state = asState(input);
  if (!state) throw new Error('Notify needs the state of the previous task (format keywarden.exposed-key/v1)');
  const { state: next, notice } = await notify(state, exposedKeyDeps());
  throwIfRetryable('notify', notice.deliveries);
  return next;
};
