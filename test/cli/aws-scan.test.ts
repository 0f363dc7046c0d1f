/**
 * `keywarden scan --aws` end to end: the real CLI, through the real SDK, against moto on 127.0.0.1; then
 * `snapshot export` and a file scan of the export give the same finding ids as the live scan; `--from-store` too.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAliasCommand, CreateGrantCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_SKIP_MESSAGE, type MotoServer, motoAvailable, startMoto } from '../aws/moto-server';
import { keywarden } from './run';

if (!motoAvailable) console.warn(MOTO_SKIP_MESSAGE);

const ACCOUNT = '123456789012'; // moto's default account
const policy = (extra: object[]) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      ...extra,
    ],
  });

describe.skipIf(!motoAvailable)('scan --aws against moto', () => {
  let moto: MotoServer;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'kw-aws-'));
  const db = join(dir, 'keywarden.db');

  beforeAll(async () => {
    moto = await startMoto();
    env = {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      AWS_MAX_ATTEMPTS: '2',
    };
    const kms = new KMSClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const pub = await kms.send(
      new CreateKeyCommand({
        Description: 'public',
        Policy: policy([{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }]),
      }),
    );
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/public', TargetKeyId: pub.KeyMetadata!.KeyId }));
    const shared = await kms.send(new CreateKeyCommand({ Description: 'shared', Policy: policy([]) }));
    await kms.send(
      new CreateGrantCommand({
        KeyId: shared.KeyMetadata!.KeyId,
        GranteePrincipal: 'arn:aws:iam::444455556666:role/Importer',
        Operations: ['Decrypt'],
      }),
    );
    await kms.send(new CreateKeyCommand({ Description: 'clean', Policy: policy([]) }));
  });
  afterAll(async () => moto?.stop());

  const ids = (stdout: string) =>
    (JSON.parse(stdout) as { keys: Array<{ findings: Array<{ id: string }> }> }).keys
      .flatMap((k) => k.findings.map((f) => f.id))
      .sort();

  it('scans every key, saves them, and export + file scan gives the same finding ids', () => {
    const live = keywarden(['scan', '--aws', '--region', 'us-east-1', '--db', db, '--format', 'json', '-q'], { env });
    expect(live.stderr).toBe('');
    expect(live.status).toBe(1);
    const report = JSON.parse(live.stdout);
    expect(report.keys).toHaveLength(3);
    const rules = report.keys
      .flatMap((k: { findings: Array<{ rule: string }> }) => k.findings.map((f) => f.rule))
      .sort();
    expect(rules).toContain('public-key');
    expect(rules).toContain('external-grant');

    const exportDir = join(dir, 'snapshots');
    const exported = keywarden(['snapshot', 'export', exportDir, '--db', db], { env });
    expect(exported.status).toBe(0);
    expect(exported.stderr).toContain('3 snapshots written');

    const replay = keywarden(['scan', exportDir, '--format', 'json', '-q']);
    expect(ids(replay.stdout)).toEqual(ids(live.stdout));
    const fromStore = keywarden(['scan', '--from-store', '--db', db, '--format', 'json', '-q']);
    expect(ids(fromStore.stdout)).toEqual(ids(live.stdout));
  });

  it('exits 2 with one clear line for a region it cannot reach, and still reports the others', () => {
    const r = keywarden(
      ['scan', '--aws', '--region', 'us-east-1,xx-nowhere-9', '--no-save', '--format', 'json', '-q'],
      { env },
    );
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).keys).toHaveLength(3);
    expect(r.stderr).toMatch(/xx-nowhere-9/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a usage error before touching AWS', () => {
    const r = keywarden(['scan', '--aws', 'some/path'], { env });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('exactly one');
  });
});
