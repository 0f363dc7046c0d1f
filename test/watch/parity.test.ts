/**
 * Parity: the same recording of KMS events gives the same findings in CLI mode (`keywarden watch --event`, SQLite)
 * and in Lambda mode (the watch handler, DynamoDB on dynalite). Both read the keys through the real SDK from the
 * KMS wire-protocol stand-in on 127.0.0.1.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EMPTY_WATCH_CONFIG } from '../../src/app/watch-config';
import { createKeyFetcher } from '../../src/app/watch-fetch';
import { watchCommand } from '../../src/cli/watch-command';
import { createWatchHandler, type WatchResult } from '../../src/lambda/watch.handler';
import { createTable, DynamoStore } from '../../src/store/dynamodb';
import { openSqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/store';
import { type Standin, startKmsStandin } from '../aws/kms-standin';
import { keyIdOf } from '../aws/standin-data';
import { type LocalDynamo, startDynalite } from '../store/dynalite-server';
import {
  envelope,
  type Json,
  loadEvent,
  minute,
  OUTSIDER,
  outsiderStatement,
  PUBLIC_STATEMENT,
  policyText,
  putKeyPolicy,
  reaim,
} from './helpers';

let standin: Standin;
let dynamo: LocalDynamo;
let dir: string;
const env = { ...process.env };

beforeAll(async () => {
  standin = await startKmsStandin({ regions: { 'us-west-2': 4 }, latencyMs: 0 });
  dynamo = await startDynalite();
  dir = mkdtempSync(join(tmpdir(), 'keywarden-parity-'));
});
afterAll(async () => {
  process.env = { ...env };
  await standin?.stop();
  await dynamo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const key = (index: number) => keyIdOf(0, index);

/** A recording: exposures opened and reverted, a grant, a refused attempt, key state changes, an unhandled event. */
function recording(): Json[] {
  const grant = reaim('create-grant', { keyId: key(2), time: minute(3), id: 'p-grant' });
  (grant.requestParameters as Json).granteePrincipal = `arn:aws:iam::${OUTSIDER}:role/partner`;
  const denied = loadEvent('put-key-policy-access-denied');
  denied.resources = [
    { accountId: '111122223333', type: 'AWS::KMS::Key', ARN: `arn:aws:kms:us-west-2:111122223333:key/${key(3)}` },
  ];
  return [
    putKeyPolicy({ keyId: key(1), time: minute(1), id: 'p-public', policy: policyText(PUBLIC_STATEMENT) }),
    putKeyPolicy({ keyId: key(1), time: minute(2), id: 'p-shared', policy: policyText(outsiderStatement(OUTSIDER)) }),
    grant,
    reaim('disable-key-rotation', { keyId: key(2), time: minute(4), id: 'p-rotation' }),
    denied,
    reaim('schedule-key-deletion', { keyId: key(3), time: minute(6), id: 'p-delete' }),
    putKeyPolicy({ keyId: key(1), time: minute(7), id: 'p-revert', policy: policyText() }),
    loadEvent('tag-resource'),
  ].map(envelope);
}

interface ModeResult {
  perEvent: Array<{ status: string; new: string[]; resolved: string[]; detections: string[] }>;
  history: string[];
}

/** Every finding's id and open period, per key, as a store remembers them. */
async function historyOf(store: Store): Promise<string[]> {
  const lines: string[] = [];
  for (const index of [1, 2, 3]) {
    const arn = `arn:aws:kms:us-west-2:111122223333:key/${key(index)}`;
    for (const r of await store.listFindings(arn))
      lines.push(`${r.id} ${r.finding.rule} ${r.openedAt} ${r.resolvedAt ?? 'open'}`);
  }
  return lines.sort();
}

async function cliMode(events: Json[]): Promise<ModeResult> {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDPARITY',
    AWS_SECRET_ACCESS_KEY: 'parity-test-only',
    AWS_ENDPOINT_URL_KMS: standin.endpoint,
    AWS_MAX_ATTEMPTS: '1',
  });
  const db = join(dir, 'cli.db');
  const file = join(dir, 'recording.json');
  writeFileSync(file, JSON.stringify(events));
  const out = join(dir, 'cli.json');
  const program = new Command('keywarden').exitOverride().addCommand(watchCommand());
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((() => true) as never);
  try {
    await program.parseAsync(['watch', '--event', file, '--db', db, '--format', 'json', '-o', out], { from: 'user' });
  } finally {
    err.mockRestore();
    process.exitCode = undefined;
  }
  const doc = JSON.parse(readFileSync(out, 'utf8')) as { events: Array<Record<string, never>> };
  const opened = openSqliteStore({ path: db });
  if (!opened.ok) throw new Error(opened.reason);
  try {
    return {
      perEvent: doc.events.map((e: Json) => {
        const diff = (e.diff ?? {}) as Json;
        const ids = (list: unknown) =>
          Array.isArray(list) ? list.map((x) => (typeof x === 'string' ? x : ((x as Json).id as string))).sort() : [];
        return {
          status: String(e.status),
          new: ids(diff.new ?? diff.transient),
          resolved: ids(diff.resolved),
          detections: ((e.detections as Json[] | undefined) ?? []).map((d) => String(d.rule)).sort(),
        };
      }),
      history: await historyOf(opened.value),
    };
  } finally {
    await opened.value.close();
  }
}

async function lambdaMode(events: Json[]): Promise<ModeResult> {
  const admin = dynamo.client();
  const created = await createTable(admin, 'keywarden-parity', { maxWaitSeconds: 10 });
  if (!created.ok) throw new Error(created.reason);
  const store = new DynamoStore({ client: dynamo.client(), tableName: 'keywarden-parity' });
  const kms = new KMSClient({
    region: 'us-west-2',
    endpoint: standin.endpoint,
    credentials: { accessKeyId: 'AKIDPARITY', secretAccessKey: 'parity-test-only' },
  });
  const handler = createWatchHandler({
    store,
    fetchKey: createKeyFetcher({ kmsFor: () => kms }),
    channels: [],
    config: EMPTY_WATCH_CONFIG,
  });
  const perEvent: ModeResult['perEvent'] = [];
  for (const event of events) {
    const result: WatchResult = await handler(event);
    perEvent.push({
      status: result.status,
      new: [...result.new].sort(),
      resolved: [...result.resolved].sort(),
      detections: [...result.detections].sort(),
    });
  }
  const history = await historyOf(store);
  kms.destroy();
  await store.close();
  return { perEvent, history };
}

describe('CLI and Lambda modes on one recording', () => {
  it('give the same findings for every event and the same remembered history', async () => {
    const events = recording();
    const lambda = await lambdaMode(events);
    const cli = await cliMode(events);
    expect(cli.perEvent).toEqual(lambda.perEvent);
    expect(cli.history).toEqual(lambda.history);
    // The recording exercised what it should.
    expect(lambda.perEvent.map((e) => e.status)).toEqual([...Array(7).fill('analysed'), 'kept']);
    expect(lambda.perEvent[4]?.detections).toEqual(['attempt-denied']);
    expect(lambda.perEvent[0]?.new.length).toBeGreaterThan(0);
    expect(lambda.perEvent[6]?.resolved.length).toBeGreaterThan(0);
    expect(lambda.history.length).toBeGreaterThan(4);
  }, 60_000);
});
