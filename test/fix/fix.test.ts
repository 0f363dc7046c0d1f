/** The fix use case with a KMS answered in-process: unknown ids, unreadable keys, and the log that applies a step once. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFix } from '../../src/app/fix';
import { handleWatchEvent } from '../../src/app/watch';
import type { StepOutcome } from '../../src/respond/aws/fix';
import type { FixStep } from '../../src/respond/plan/fix';
import {
  envelope,
  inProcessKms,
  KEY_ARN,
  KEY_ID,
  kmsKey,
  minute,
  PUBLIC_STATEMENT,
  policyText,
  putKeyPolicy,
  SETTINGS,
  type TempStore,
  tempStore,
} from '../watch/helpers';

let temp: TempStore;
let kms: ReturnType<typeof inProcessKms>;
const now = () => '2024-05-01T14:00:00.000Z';
const request = { execute: true, restore: false, failOn: 'high' as const, analysis: SETTINGS.analysis };

beforeEach(async () => {
  temp = tempStore();
  kms = inProcessKms(new Map([[KEY_ARN, kmsKey(KEY_ID, policyText(PUBLIC_STATEMENT))]]));
  await handleWatchEvent(
    envelope(putKeyPolicy({ time: minute(1), id: 'open', policy: policyText(PUBLIC_STATEMENT) })),
    { store: temp.store, fetchKey: kms.fetchKey, now },
    SETTINGS,
  );
});
afterEach(async () => {
  kms.mock.restore();
  await temp.cleanup();
});

const publicId = async () => (await temp.store.listFindings(KEY_ARN)).find((f) => f.finding.rule === 'public-key')!.id;

describe('runFix', () => {
  it('answers an unknown finding id with exit 2 and how to get one', async () => {
    const result = await runFix({ store: temp.store, now }, { ...request, findingId: 'KW-00000000000000000000' });
    expect(result).toMatchObject({
      status: 'not-found',
      exitCode: 2,
      message: expect.stringContaining('keywarden scan --aws'),
    });
  });

  it('refuses with exit 2 when the live key cannot be read', async () => {
    kms.mock
      .onAnyCommand()
      .rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }));
    const result = await runFix(
      { store: temp.store, fetchKey: kms.fetchKey, now },
      { ...request, findingId: await publicId() },
    );
    expect(result).toMatchObject({ status: 'refused', exitCode: 2, message: expect.stringContaining('ECONNREFUSED') });
  });

  it('never applies the same step twice: the remediation log is checked first', async () => {
    const applied: FixStep[] = [];
    const execute = async (step: FixStep): Promise<StepOutcome> => {
      applied.push(step); // claims success without changing the key: the finding stays open
      return { outcome: 'applied', message: 'done' };
    };
    const deps = { store: temp.store, fetchKey: kms.fetchKey, execute, now };
    const id = await publicId();
    const first = await runFix(deps, { ...request, findingId: id });
    expect(first.status).toBe('applied');
    const second = await runFix(deps, { ...request, findingId: id });
    expect(second.steps).toMatchObject([{ outcome: 'skipped', message: expect.stringContaining('already applied') }]);
    expect(applied).toHaveLength(1);
  });

  it('records a failed step with its reason and exits 1', async () => {
    const execute = async (): Promise<StepOutcome> => ({
      outcome: 'failed',
      message: 'PutKeyPolicy failed: MalformedPolicyDocumentException',
      error: { code: 'MalformedPolicyDocumentException', message: 'lockout' },
    });
    const id = await publicId();
    const result = await runFix(
      { store: temp.store, fetchKey: kms.fetchKey, execute, now },
      { ...request, findingId: id },
    );
    expect(result).toMatchObject({ status: 'failed', exitCode: 1 });
    expect((await temp.store.listActions({ findingId: id }))[0]).toMatchObject({
      outcome: 'failed',
      action: 'PutKeyPolicy',
    });
  });
});
