/**
 * The IAM side with aws-sdk-client-mock: an already-deleted key, throttling, access denied, the quarantine policy
 * fallback, and the remediation log that makes a second run change nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachUserPolicyCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  IAMClient,
  ListAccessKeysCommand,
  NoSuchEntityException,
  ServiceFailureException,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contain, type ExposedKeyDeps, identify, investigate, revoke } from '../../src/app/exposed-key';
import { exposedKeyIam } from '../../src/respond/aws/exposed-key-iam';
import { openSqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/store';
import { trustedAdvisorEvent } from './fixtures';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const ACCOUNT = '111122223333';
const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };
let dir: string;
let store: Store;

const noSuch = (message: string) => new NoSuchEntityException({ message, $metadata: { httpStatusCode: 404 } });

beforeEach(() => {
  iam.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/responder` });
  iam.on(GetAccessKeyLastUsedCommand).resolves({
    UserName: 'alice',
    AccessKeyLastUsed: { ServiceName: 's3', Region: 'us-east-1', LastUsedDate: new Date('2024-06-02T11:00:00Z') },
  });
  iam
    .on(ListAccessKeysCommand)
    .resolves({ AccessKeyMetadata: [{ UserName: 'alice', AccessKeyId: KEY, Status: 'Active' }], IsTruncated: false });
  dir = mkdtempSync(join(tmpdir(), 'kw-respond-'));
  const opened = openSqliteStore({ path: join(dir, 'store.db') });
  if (!opened.ok) throw new Error(opened.reason);
  store = opened.value;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const deps = (): ExposedKeyDeps => ({
  iam: exposedKeyIam({
    iam: new IAMClient({ region: 'us-east-1', credentials }),
    sts: new STSClient({ region: 'us-east-1', credentials }),
    now: () => '2024-06-02T12:00:00.000Z',
  }),
  store,
  channels: [],
  now: () => '2024-06-02T12:00:00.000Z',
  readEvents: async function* () {},
});

const event = trustedAdvisorEvent({ accessKeyId: KEY, userName: 'alice', account: ACCOUNT });

const throughRevoke = async (mode: 'contain' | 'contain-and-delete' = 'contain-and-delete') => {
  let state = await identify(event, { mode, execute: true }, deps());
  state = await contain(state, deps());
  state = await investigate(state, deps());
  return revoke(state, deps());
};

describe('identify through IAM', () => {
  it('reads the owner, last use and status', async () => {
    const state = await identify(event, { mode: 'contain', execute: true }, deps());
    expect(state.identified).toMatchObject({
      userName: 'alice',
      status: 'Active',
      lastUsed: { date: '2024-06-02T11:00:00.000Z', service: 's3', region: 'us-east-1' },
    });
  });

  it('an already-deleted key: nothing to contain or delete, and the workflow goes on', async () => {
    iam.on(GetAccessKeyLastUsedCommand).rejects(noSuch(`The Access Key with id ${KEY} cannot be found`));
    const state = await throughRevoke();
    expect(state.identified?.status).toBe('deleted');
    expect(state.contain?.results).toEqual([]);
    expect(state.revoke?.results).toEqual([]);
    expect(state.revoke?.plan.skipped.find((s) => s.kind === 'delete-key')?.reason).toBe(
      'the key no longer exists: it was already deleted',
    );
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
    expect(iam.commandCalls(DeleteAccessKeyCommand)).toHaveLength(0);
  });

  it('a throttled lookup is marked retryable for the workflow', async () => {
    iam
      .on(GetAccessKeyLastUsedCommand)
      .rejects(new ServiceFailureException({ message: 'Service failure', $metadata: { httpStatusCode: 500 } }));
    const state = await identify(event, { mode: 'contain', execute: true }, deps());
    expect(state.identified?.retryable).toBe(true);
    expect(state.identified?.userName).toBe('alice');
  });
});

describe('contain and delete through IAM', () => {
  it('deactivates, quarantines (falling back to V3 where V4 does not exist) and deletes, then a second run does nothing', async () => {
    iam
      .on(AttachUserPolicyCommand, { PolicyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV4' })
      .rejects(
        noSuch('Policy arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV4 does not exist or is not attachable.'),
      );
    iam
      .on(AttachUserPolicyCommand, { PolicyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3' })
      .resolves({});
    iam.on(UpdateAccessKeyCommand).resolves({});
    iam.on(DeleteAccessKeyCommand).resolves({});
    const first = await throughRevoke();
    expect([...first.contain!.results, ...first.revoke!.results].map((r) => [r.kind, r.outcome, r.detail])).toEqual([
      ['deactivate-key', 'applied', `deactivated: ${KEY} signs nothing now`],
      [
        'attach-quarantine-policy',
        'applied',
        'attached arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3 to user alice (arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV4 does not exist here)',
      ],
      ['delete-key', 'applied', `deleted ${KEY} (this cannot be undone)`],
    ]);
    expect(iam.commandCalls(UpdateAccessKeyCommand)[0]?.args[0].input).toEqual({
      UserName: 'alice',
      AccessKeyId: KEY,
      Status: 'Inactive',
    });
    expect(await store.listActions({ target: KEY })).toHaveLength(2);

    const second = await throughRevoke();
    expect([...second.contain!.results, ...second.revoke!.results].map((r) => r.outcome)).toEqual([
      'already-done',
      'already-done',
      'already-done',
    ]);
    expect(iam.commandCalls(DeleteAccessKeyCommand)).toHaveLength(1);
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(1);
  });

  it('a key deleted meanwhile is already done, and recorded', async () => {
    iam.on(UpdateAccessKeyCommand).rejects(noSuch(`The Access Key with id ${KEY} cannot be found`));
    iam.on(AttachUserPolicyCommand).resolves({});
    iam.on(DeleteAccessKeyCommand).rejects(noSuch(`The Access Key with id ${KEY} cannot be found`));
    const state = await throughRevoke();
    expect(state.contain?.results[0]).toMatchObject({
      outcome: 'already-done',
      detail: 'the key (or its user) no longer exists: nothing left to deactivate',
    });
    expect(state.revoke?.results[0]).toMatchObject({ outcome: 'already-done', detail: 'the key was already deleted' });
    expect((await store.getAction(state.revoke!.results[0]!.idempotencyKey))?.outcome).toBe('skipped');
  });

  it('throttling fails the action as retryable and records nothing, so a retry applies it', async () => {
    iam
      .on(UpdateAccessKeyCommand)
      .rejectsOnce(
        Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }),
      )
      .resolves({});
    iam.on(AttachUserPolicyCommand).resolves({});
    let state = await identify(event, { mode: 'contain', execute: true }, deps());
    state = await contain(state, deps());
    expect(state.contain?.results[0]).toMatchObject({ outcome: 'failed', retryable: true });
    expect(state.contain?.results[0]?.detail).toBe('iam:UpdateAccessKey failed: Throttling: Rate exceeded');
    expect(state.contain?.results[1]?.outcome).toBe('applied');
    const retried = await contain(state, deps());
    expect(retried.contain?.results.map((r) => r.outcome)).toEqual(['applied', 'already-done']);
  });

  it('access denied is a failure a human must fix (not retried)', async () => {
    iam
      .on(UpdateAccessKeyCommand)
      .rejects(
        Object.assign(
          new Error('User: arn:aws:iam::111122223333:user/responder is not authorized to perform: iam:UpdateAccessKey'),
          { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } },
        ),
      );
    iam.on(AttachUserPolicyCommand).resolves({});
    let state = await identify(event, { mode: 'contain', execute: true }, deps());
    state = await contain(state, deps());
    expect(state.contain?.results[0]).toMatchObject({ outcome: 'failed', retryable: false });
  });

  it('a dry run calls nothing that changes AWS', async () => {
    let state = await identify(event, { mode: 'contain-and-delete', execute: false }, deps());
    state = await contain(state, deps());
    state = await investigate(state, deps());
    state = await revoke(state, deps());
    expect([...state.contain!.results, ...state.revoke!.results].map((r) => [r.outcome, r.detail])).toEqual([
      ['dry-run', 'would call iam:UpdateAccessKey'],
      ['dry-run', 'would call iam:AttachUserPolicy'],
      ['dry-run', 'would call iam:DeleteAccessKey'],
    ]);
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
    expect(iam.commandCalls(AttachUserPolicyCommand)).toHaveLength(0);
    expect(await store.listActions()).toEqual([]);
  });
});
