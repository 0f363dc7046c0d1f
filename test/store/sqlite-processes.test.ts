import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite';
import { at } from './fixtures';

const run = promisify(execFile);
const worker = new URL('./sqlite-worker.ts', import.meta.url).pathname;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keywarden-processes-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('keeps claims and event dedupe exclusive across separate processes on one SQLite file', async () => {
  const path = join(dir, 'keywarden.db');
  const opened = openSqliteStore({ path });
  if (!opened.ok) throw new Error(opened.reason);
  const total = 60;
  for (let n = 0; n < total; n++) {
    await opened.value.enqueue({ id: `msg-${n}`, channel: 'sns', payload: { n } }, at(0));
  }
  await opened.value.close();

  const outputs = await Promise.all(
    Array.from({ length: 3 }, () =>
      run(process.execPath, ['--import', 'tsx', worker, path, at(1)], { timeout: 60_000 }),
    ),
  );
  const results = outputs.map((o) => JSON.parse(o.stdout) as { claimed: string[]; marked: boolean });
  const claimed = results.flatMap((r) => r.claimed);
  expect(new Set(claimed).size).toBe(claimed.length);
  expect(claimed).toHaveLength(total);
  expect(results.filter((r) => r.marked)).toHaveLength(1);
});
