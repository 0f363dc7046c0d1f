/**
 * `keywarden fix` end to end through the real SDK against moto (started here on 127.0.0.1): findings recorded by a
 * reconciliation of moto's keys, then fixed with PutKeyPolicy, RevokeGrant and CancelKeyDeletion; refusals when the
 * key changed; --restore; every step in the remediation log; nothing applied twice.
 */
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListGrantsCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runFix } from '../../src/app/fix';
import type { CollectedItem } from '../../src/app/live';
import { reconcile } from '../../src/app/reconcile';
import { createKeyFetcher } from '../../src/app/watch-fetch';
import { createFixExecutor } from '../../src/respond/aws/fix';
import type { FixStep } from '../../src/respond/plan/fix';
import { samePolicy } from '../../src/respond/plan/fix';
import { MOTO_SKIP_MESSAGE, type MotoServer, motoAvailable, startMoto } from '../aws/moto-server';
import { SETTINGS, type TempStore, tempStore } from '../watch/helpers';

if (!motoAvailable) console.warn(MOTO_SKIP_MESSAGE.replace('the AWS collector', 'keywarden fix'));

const ACCOUNT = '123456789012'; // moto's default account
const ROOT = {
  Sid: 'Root',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
};
const OPEN = { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' };
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: [ROOT, ...statements] });

let moto: MotoServer;
let kms: KMSClient;
let temp: TempStore;
let clock = Date.parse('2024-05-01T12:00:00Z');
const now = () => {
  clock += 1000;
  return new Date(clock).toISOString();
};

beforeAll(async () => {
  if (!motoAvailable) return;
  moto = await startMoto();
  kms = new KMSClient({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
}, 90_000);
afterAll(async () => {
  kms?.destroy();
  await moto?.stop();
});
beforeEach(async () => {
  if (!motoAvailable) return;
  await moto.reset();
  temp?.cleanup();
  temp = tempStore();
});

const fetchKey = () => createKeyFetcher({ kmsFor: () => kms, quotaShare: 1 });

/** A reconciliation of the given keys: saves them and records their findings (at the test clock). */
async function record(...arns: string[]) {
  const read = fetchKey();
  async function* items(): AsyncGenerator<CollectedItem> {
    for (const arn of arns) yield { raw: { ...(await read(arn)), collectedAt: now() }, arn };
  }
  return reconcile(items(), { store: temp.store, now }, SETTINGS);
}

const findingOf = async (arn: string, rule: string) => {
  const found = (await temp.store.listFindings(arn)).find((f) => f.finding.rule === rule && !f.resolvedAt);
  if (!found) throw new Error(`no open ${rule} finding on ${arn}`);
  return found.id;
};

const createKey = async (text: string) =>
  (await kms.send(new CreateKeyCommand({ Policy: text, Description: 'fix test' }))).KeyMetadata!.Arn!;

const fix = (
  findingId: string,
  options: { execute?: boolean; restore?: boolean; execute$?: (s: FixStep) => Promise<never> } = {},
) => {
  const executor = createFixExecutor(() => kms);
  return runFix(
    { store: temp.store, fetchKey: fetchKey(), execute: executor, now, actor: 'test' },
    {
      findingId,
      execute: Boolean(options.execute),
      restore: Boolean(options.restore),
      failOn: 'high',
      analysis: SETTINGS.analysis,
    },
  );
};

const livePolicy = async (arn: string) =>
  (await kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' }))).Policy!;

describe.skipIf(!motoAvailable)('keywarden fix against moto', () => {
  it('shows the plan (dry run), then applies the corrected policy once and records it', async () => {
    const arn = await createKey(policy(OPEN));
    await record(arn);
    const id = await findingOf(arn, 'public-key');

    const dry = await fix(id);
    expect(dry).toMatchObject({
      status: 'planned',
      exitCode: 0,
      steps: [{ outcome: 'dry-run', step: { action: 'PutKeyPolicy' } }],
    });
    expect(samePolicy(await livePolicy(arn), policy(OPEN))).toBe(true);

    const applied = await fix(id, { execute: true });
    expect(applied).toMatchObject({ status: 'applied', exitCode: 0 });
    expect(applied.resolved).toContain(id);
    const step = applied.steps[0]!.step;
    expect(step.action === 'PutKeyPolicy' && samePolicy(await livePolicy(arn), step.policy)).toBe(true);
    expect(JSON.parse(await livePolicy(arn)).Statement[1].Condition).toBeDefined();

    const log = await temp.store.listActions({ findingId: id });
    expect(log.map((a) => a.outcome).sort()).toEqual(['applied', 'dry-run']);
    expect(log.find((a) => a.outcome === 'applied')?.idempotencyKey).toBe(step.idempotencyKey);

    expect(await fix(id, { execute: true })).toMatchObject({ status: 'nothing-to-do', exitCode: 0 });
  });

  it('refuses when the key changed since the finding, and changes nothing', async () => {
    const arn = await createKey(policy(OPEN));
    await record(arn);
    const id = await findingOf(arn, 'public-key');
    const newer = policy(OPEN, {
      Sid: 'Audit',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/audit` },
      Action: 'kms:DescribeKey',
      Resource: '*',
    });
    await kms.send(new PutKeyPolicyCommand({ KeyId: arn, PolicyName: 'default', Policy: newer }));
    const result = await fix(id, { execute: true });
    expect(result).toMatchObject({ status: 'refused', exitCode: 1, message: expect.stringContaining('changed since') });
    expect(samePolicy(await livePolicy(arn), newer)).toBe(true);
  });

  it('revokes a grant to another account', async () => {
    const arn = await createKey(policy());
    const { GrantId } = await kms.send(
      new CreateGrantCommand({
        KeyId: arn,
        GranteePrincipal: 'arn:aws:iam::444455556666:role/partner',
        Operations: ['Decrypt'],
      }),
    );
    await record(arn);
    const result = await fix(await findingOf(arn, 'external-grant'), { execute: true });
    expect(result).toMatchObject({
      status: 'applied',
      steps: [{ outcome: 'applied', step: { action: 'RevokeGrant', grantId: GrantId } }],
    });
    expect((await kms.send(new ListGrantsCommand({ KeyId: arn }))).Grants ?? []).toEqual([]);
  });

  it('cancels a scheduled deletion (the key stays disabled)', async () => {
    const arn = await createKey(policy());
    // moto resolves ScheduleKeyDeletion and CancelKeyDeletion by key id only (real KMS takes the ARN too).
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn.split('/')[1], PendingWindowInDays: 7 }));
    await record(arn);
    const result = await fix(await findingOf(arn, 'key-state'), { execute: true });
    expect(result.steps[0]).toMatchObject({ outcome: 'applied', step: { action: 'CancelKeyDeletion' } });
    expect((await kms.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata?.KeyState).toBe('Disabled');
  });

  it('--restore puts back the last stored policy without a finding at or above --fail-on', async () => {
    const good = policy({
      Sid: 'Users',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/app` },
      Action: 'kms:Decrypt',
      Resource: '*',
    });
    const arn = await createKey(good);
    await record(arn);
    await kms.send(new PutKeyPolicyCommand({ KeyId: arn, PolicyName: 'default', Policy: policy(OPEN) }));
    await record(arn);
    const result = await fix(await findingOf(arn, 'public-key'), { execute: true, restore: true });
    expect(result.status).toBe('applied');
    expect(samePolicy(await livePolicy(arn), good)).toBe(true);
    // Exposed again: restoring again is a new change, applied again (not skipped as already done).
    await kms.send(new PutKeyPolicyCommand({ KeyId: arn, PolicyName: 'default', Policy: policy(OPEN) }));
    await record(arn);
    const again = await fix(await findingOf(arn, 'public-key'), { execute: true, restore: true });
    expect(again.steps.map((s) => s.outcome)).toEqual(['applied']);
    expect(samePolicy(await livePolicy(arn), good)).toBe(true);
  });
});
