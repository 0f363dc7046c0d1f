/** Step Functions task "Investigate": the key's CloudTrail activity in every enabled region (LookupEvents). */
import { investigate } from '../app/exposed-key';
import type { ExposedKeyState } from '../respond/plan/exposed-key-state';
import { asState, exposedKeyDeps } from './exposed-key-wiring';

/** The AWS actions this task sends (its role grants exactly these); ListRegions only with TRAIL_REGIONS=all. */
export const permissions: readonly string[] = ['cloudtrail:LookupEvents', 'account:ListRegions'];

export const handler = async (input: unknown): Promise<ExposedKeyState> => {
  const state = asState(input);
  if (!state) throw new Error('Investigate needs the state Contain returns (format keywarden.exposed-key/v1)');
  return investigate(state, exposedKeyDeps());
};
