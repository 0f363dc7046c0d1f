import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceItem } from '../../kms/snapshot';
import { readFiles } from './index';

let dir: string;

const policy = (statements: number) =>
  JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: Array.from({ length: statements }, (_, i) => ({
        Sid: `S${i}`,
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::111122223333:role/R${i}` },
        Action: 'kms:Decrypt',
        Resource: '*',
      })),
    },
    null,
    2,
  );

async function items(paths: string[], maxBytes?: number): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of readFiles(paths, {
    account: '111122223333',
    cwd: dir,
    now: () => '2026-01-01T00:00:00Z',
    maxBytes,
  }))
    out.push(item);
  return out;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keywarden-files-'));
  mkdirSync(join(dir, 'keys'));
  writeFileSync(join(dir, 'keys', 'big.json'), policy(2000));
  writeFileSync(join(dir, 'keys', 'empty.json'), '');
  writeFileSync(join(dir, 'keys', 'latin1.json'), Buffer.from('{"Statement": "\xe9"}', 'latin1'));
  writeFileSync(join(dir, 'keys', 'small.json'), policy(1));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readFiles', () => {
  it('reads whole files, in name order, with gaps for empty and non-UTF-8 ones', async () => {
    const found = await items([join(dir, 'keys')]);
    expect(found.map((i) => ('gap' in i ? `gap ${i.file}` : 'arn' in i ? `key ${i.arn}` : `other`))).toEqual([
      'key arn:aws:kms:unknown:111122223333:key/big',
      `gap ${join('keys', 'empty.json')}`,
      `gap ${join('keys', 'latin1.json')}`,
      'key arn:aws:kms:unknown:111122223333:key/small',
    ]);
    const big = found[0] as { policy: { ok: true; value: { statements: unknown[] } } };
    expect(big.policy.value.statements).toHaveLength(2000);
    expect(found[2]).toMatchObject({ reason: 'not valid UTF-8 text', line: 1, column: 16 });
  });

  it('does not read a file larger than the limit, and names a path that does not exist', async () => {
    const found = await items([join(dir, 'keys', 'small.json'), join(dir, 'missing.json')], 100);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatchObject({ gap: true, reason: expect.stringMatching(/^file is 0\.0 MiB, larger than the /) });
    expect(found[1]).toMatchObject({ gap: true, reason: 'no such file or folder' });
  });
});
