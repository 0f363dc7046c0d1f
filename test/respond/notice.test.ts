import { describe, expect, it } from 'vitest';
import { type ExposedKeyDeps, respondToExposedKey } from '../../src/app/exposed-key';
import { noticeId, noticeMessage } from '../../src/app/exposed-key-notify';
import { known } from '../../src/kms/known';
import type { ExposedKeyIam } from '../../src/respond/plan/exposed-key-ports';
import type { ExposedKeyState } from '../../src/respond/plan/exposed-key-state';
import { parseCloudTrailEvent } from '../../src/trail/detect/event';
import { attackRecords, type Scenario, trustedAdvisorEvent } from './fixtures';

const S: Scenario = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  userName: 'alice',
  account: '111122223333',
  roleName: 'Deploy',
  roleKey: 'ASIAIOSFODNN7EXAMPLE',
  sessionKey: 'ASIAIOSFODNN7SESSION',
  day: '2024-06-02',
};

/** An IAM that says yes to everything, so the notice shows a finished response. */
const agreeingIam = (userName = 'alice'): ExposedKeyIam => ({
  callerAccount: async () => known(S.account),
  keyOwner: async () => known({ found: true, root: false, userName }),
  keyStatus: async () => known('Active'),
  apply: async (action) => ({
    kind: action.kind,
    target: action.target,
    idempotencyKey: action.idempotencyKey,
    outcome: 'applied',
    detail: `${action.awsCall} done`,
  }),
});

const deps = (iam: ExposedKeyIam = agreeingIam()): ExposedKeyDeps => {
  const events = attackRecords(S).map((record) => {
    const parsed = parseCloudTrailEvent(record);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.event;
  });
  return {
    iam,
    channels: [],
    now: () => '2024-06-02T12:00:00.000Z',
    readEvents: async function* () {
      yield events;
    },
  };
};

const respond = (event: unknown, execute = true, iam?: ExposedKeyIam): Promise<ExposedKeyState> =>
  respondToExposedKey(event, { mode: 'contain', execute }, deps(iam));

describe('the exposed-key notice', () => {
  it('says what was done, what to do, then what the key did', async () => {
    const state = await respond(
      trustedAdvisorEvent({ accessKeyId: S.accessKeyId, userName: 'alice', account: S.account }),
    );
    const message = noticeMessage(state);
    expect(message.subject).toBe('[keywarden] CRITICAL contained: exposed key AKIAIOSFODNN7EXAMPLE (user alice)');
    const headings = message.text.split('\n').filter((line) => /^\S/.test(line));
    expect(headings).toEqual([
      'keywarden: AWS reported access key AKIAIOSFODNN7EXAMPLE (user alice) as exposed: contained.',
      'The exposed key',
      'What keywarden did',
      'To do: Clean up after the leak',
      'To do: Delete AKIAIOSFODNN7EXAMPLE once nothing legitimate uses it',
      'What the key did, 2024-06-01T12:00:00Z to 2024-06-02T12:00:00Z (CloudTrail LookupEvents)',
      'Suspicious calls (9)',
      'Credentials the key minted (they outlive it)',
      'What the key created (remove it)',
      '-- keywarden',
    ]);
    expect(message.text).toContain(
      'DONE:     iam:PutRolePolicy arn:aws:iam::111122223333:role/Deploy: iam:PutRolePolicy done',
    );
    expect(message.severity).toBe('critical');
  });

  it('carries a finding and the response as JSON for webhooks and EventBridge', async () => {
    const state = await respond(
      trustedAdvisorEvent({ accessKeyId: S.accessKeyId, userName: 'alice', account: S.account }),
    );
    const payload = noticeMessage(state).payload as unknown as Record<string, never>;
    expect(payload).toMatchObject({
      format: 'keywarden.notification/v1',
      severity: 'critical',
      key: { arn: 'arn:aws:iam::111122223333:user/alice', account: S.account, region: 'us-east-1', aliases: [] },
      findings: [
        {
          rule: 'exposed-access-key',
          severity: 'critical',
          resource: S.accessKeyId,
          evidence: { pointer: '/detail/check-item-detail/Access Key ID' },
        },
      ],
      response: { kind: 'notice', caseId: `exposed-key/${S.account}/${S.accessKeyId}`, mode: 'contain', execute: true },
    });
    expect(noticeId(state, 'sns:arn:aws:sns:us-east-1:111122223333:alerts')).toBe(
      `exposed-key/${S.account}/${S.accessKeyId}/notice/sns:arn:aws:sns:us-east-1:111122223333:alerts`,
    );
  });

  it('keeps subjects to one line of at most 99 characters and escapes HTML', async () => {
    const long = 'a'.repeat(64);
    const event = trustedAdvisorEvent({ accessKeyId: S.accessKeyId, userName: long, account: S.account });
    ((event.detail as Record<string, unknown>)['check-item-detail'] as Record<string, unknown>).Location =
      'https://example.com/<script>alert(1)</script>';
    const state = await respond(event, false, agreeingIam(long));
    const message = noticeMessage(state);
    expect([...message.subject].length).toBeLessThanOrEqual(99);
    expect(message.subject.startsWith('[keywarden dry run] CRITICAL dry run: exposed key')).toBe(true);
    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('&lt;script&gt;');
  });

  it('a bad event: what is wrong, and that nothing changed', async () => {
    const state = await respond(trustedAdvisorEvent({ accessKeyId: 'ACCESS_KEY_ID_HERE' }));
    const message = noticeMessage(state);
    expect(message.subject).toBe('[keywarden] HIGH exposed-key event not handled: ACCESS_KEY_ID_HERE');
    expect(message.severity).toBe('high');
    expect(message.text).toContain('Changed:     nothing: no AWS resource was touched');
    expect(message.payload.findings[0]?.rule).toBe('exposed-key-bad-event');
  });

  it('a failed workflow: the error, then what was done before it', async () => {
    const state = await respond(
      trustedAdvisorEvent({ accessKeyId: S.accessKeyId, userName: 'alice', account: S.account }),
    );
    const failed = noticeMessage({
      ...state,
      failure: { error: 'Keywarden.Retryable', cause: 'revoke: 1 step(s) failed' },
    });
    expect(failed.subject).toBe(
      '[keywarden] CRITICAL exposed-key response FAILED for AKIAIOSFODNN7EXAMPLE: Keywarden.Retryable',
    );
    expect(failed.text).toContain('Cause: revoke: 1 step(s) failed');
    expect(failed.text).toContain('DONE:     iam:UpdateAccessKey AKIAIOSFODNN7EXAMPLE');
    expect(failed.payload.findings[0]?.rule).toBe('exposed-key-response-failed');
  });
});
