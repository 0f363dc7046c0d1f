/**
 * The notice's delivery through a real webhook (a local HTTP server) and the store: one notice per case and channel,
 * a failing channel retried by the step without a duplicate, a failing channel never blocking another, and the live
 * watch's outbox worker leaving exposed-key notices alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverOutbox } from '../../src/app/deliver';
import { type ExposedKeyDeps, identify, notify } from '../../src/app/exposed-key';
import { noticeId } from '../../src/app/exposed-key-notify';
import { known } from '../../src/kms/known';
import type { ExposedKeyState } from '../../src/respond/plan/exposed-key-state';
import { createWebhookChannel } from '../../src/sinks/notify/webhook';
import { openSqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/store';
import { trustedAdvisorEvent } from './fixtures';

const KEY = 'AKIAIOSFODNN7EXAMPLE';

interface Hook {
  url: string;
  bodies: string[];
  /** Status codes to answer with, in order; 200 once they run out. */
  answers: number[];
  close(): Promise<void>;
}

const hook = async (answers: number[] = []): Promise<Hook> => {
  const bodies: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const status = answers.shift() ?? 200;
      if (status === 200) bodies.push(body);
      response.statusCode = status;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks/keywarden`,
    bodies,
    answers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kw-notify-'));
  const opened = openSqliteStore({ path: join(dir, 'store.db') });
  if (!opened.ok) throw new Error(opened.reason);
  store = opened.value;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const deps = (urls: string[]): ExposedKeyDeps => ({
  iam: {
    callerAccount: async () => known('111122223333'),
    keyOwner: async () => known({ found: true, root: false, userName: 'alice' }),
    keyStatus: async () => known('Active'),
    apply: async () => {
      throw new Error('not called by these tests');
    },
  },
  store,
  channels: urls.map((url, i) => createWebhookChannel({ url, kind: 'generic', name: `webhook:${i}` })),
  now: () => new Date().toISOString(),
});

const opened = async (d: ExposedKeyDeps): Promise<ExposedKeyState> =>
  identify(
    trustedAdvisorEvent({ accessKeyId: KEY, userName: 'alice', account: '111122223333' }),
    { mode: 'notify', execute: true },
    d,
  );

describe('delivering the notice', () => {
  it('a failing channel is retried by the step, sends once, and never blocks the other channel', async () => {
    const flaky = await hook([503]);
    const steady = await hook();
    try {
      const d = deps([flaky.url, steady.url]);
      const state = await opened(d);
      const first = await notify(state, d);
      expect(first.notice.deliveries.map((x) => [x.channel, x.outcome, x.retryable])).toEqual([
        ['webhook:0', 'failed', true],
        ['webhook:1', 'sent', undefined],
      ]);
      expect((await store.getMessage(noticeId(state, 'webhook:0')))?.status).toBe('dead');

      // The live watch's outbox worker runs meanwhile: exposed-key notices are not its to send.
      const worker = await deliverOutbox(store, d.channels, { now: () => new Date().toISOString() });
      expect(worker.sent).toBe(0);

      const retried = await notify(state, d);
      expect(retried.notice.deliveries.map((x) => [x.channel, x.outcome, x.detail])).toEqual([
        ['webhook:0', 'sent', 'sent on retry'],
        ['webhook:1', 'already-sent', expect.stringMatching(/^already sent at /)],
      ]);
      const third = await notify(state, d);
      expect(third.notice.deliveries.map((x) => x.outcome)).toEqual(['already-sent', 'already-sent']);
      expect(flaky.bodies).toHaveLength(1);
      expect(steady.bodies).toHaveLength(1);
      expect(JSON.parse(flaky.bodies[0] as string)).toMatchObject({
        format: 'keywarden.notification/v1',
        findings: [{ rule: 'exposed-access-key', resource: KEY }],
        response: { kind: 'notice', mode: 'notify' },
      });
    } finally {
      await flaky.close();
      await steady.close();
    }
  });

  it('two responses to the same case at once send one notice', async () => {
    const target = await hook();
    try {
      const d = deps([target.url]);
      const [a, b] = await Promise.all([opened(d), opened(d)]);
      const results = await Promise.all([notify(a, d), notify(b, d)]);
      expect(results.map((r) => r.notice.deliveries[0]?.outcome).sort()).toEqual(['queued', 'sent']);
      expect(target.bodies).toHaveLength(1);
    } finally {
      await target.close();
    }
  });

  it('a dry run sends nothing and writes nothing', async () => {
    const target = await hook();
    try {
      const d = deps([target.url]);
      const state = { ...(await opened(d)), execute: false };
      const { notice } = await notify(state, d);
      expect(notice.deliveries).toEqual([{ channel: 'webhook:0', outcome: 'dry-run', detail: 'dry run: not sent' }]);
      expect(target.bodies).toEqual([]);
      expect(await store.getMessage(noticeId(state, 'webhook:0'))).toBeUndefined();
    } finally {
      await target.close();
    }
  });
});
