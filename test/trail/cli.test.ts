/**
 * `keywarden trail` through commander, on the synthetic trail: output formats, windows and exit codes
 * (0 nothing flagged, 1 flagged, 2 bad usage or nothing readable).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerTrailCommands } from '../../src/cli/trail';
import { simpleJudge } from './judge';
import { syntheticTrail } from './synthetic/generate';

const trail = syntheticTrail({ events: 100_000, seed: 42 });
const cache = mkdtempSync(join(tmpdir(), 'keywarden-cli-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

const NOW = Date.parse('2024-06-02T00:00:00Z');

const cli = async (...args: string[]) => {
  let out = '';
  let err = '';
  let code: number | undefined;
  const program = new Command('keywarden').exitOverride();
  registerTrailCommands(program, {
    judgePolicy: simpleJudge,
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    setExitCode: (c) => {
      code = c;
    },
    exitNow: (c) => {
      throw new Exited(c);
    },
    clock: { now: () => NOW, sleep: async () => {} },
    cacheDir: cache,
  });
  try {
    await program.parseAsync(['node', 'keywarden', 'trail', ...args]);
  } catch (error) {
    if (!(error instanceof Exited)) throw error;
    code = error.code;
  }
  return { out, err, code };
};

describe('keywarden trail (CLI)', () => {
  it('exposures: a table that shows the public period, exit 1', async () => {
    const { out, code } = await cli('exposures', trail.dir);
    expect(code).toBe(1);
    expect(out).toContain('keywarden trail exposures');
    expect(out).toContain('Exposure periods (1):');
    expect(out).toContain(
      `[CRITICAL] ${trail.planted.publicKey} was public (policy) from ${trail.planted.publicFrom} to ${trail.planted.publicUntil}`,
    );
    expect(out).toContain('Read 100000 event(s) from 1728 file(s)/page(s); 0 invalid event(s), 0 unreadable file(s).');
  });

  it('--format json: the result as data, with the read report', async () => {
    const { out, code } = await cli('outsiders', trail.dir, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ format: 'keywarden.trail/v1', investigation: 'outsiders', flagged: true });
    expect(report.result.accounts[0].account).toBe(trail.planted.outsiderAccount);
    expect(report.read.events).toBe(100_000);
  });

  it('--since/--until narrow the window: the ransom pattern at 14:00 is outside 15:00..end, exit 0', async () => {
    const after = await cli('ransom', trail.dir, '--since', '2024-06-01T15:00:00Z');
    expect(after.code).toBe(0);
    expect(after.out).toContain('Nothing flagged.');
    const relative = await cli('ransom', trail.dir, '--since', '10h', '--until', '9h');
    expect(relative.code).toBe(1); // 14:00..15:00 relative to an injected now of 2024-06-02T00:00Z
  });

  it('access-key and key take a SUBJECT', async () => {
    const quiet = await cli('access-key', trail.dir, trail.planted.quietAccessKey);
    expect(quiet.code).toBe(0);
    expect(quiet.out).toContain(`Activity of access key ${trail.planted.quietAccessKey}`);
    const key = await cli(
      'key',
      trail.dir,
      trail.planted.publicKey,
      '--engine',
      'duckdb',
      '--db',
      join(cache, 'cli.duckdb'),
    );
    expect(key.code).toBe(1);
    expect(key.out).toContain('policy reach');
  });

  it.each([
    [['key', trail.dir], 'trail key needs a SUBJECT: a key ARN or key id'],
    [['exposures', trail.dir, 'extra'], 'trail exposures takes no SUBJECT'],
    [['everything', trail.dir], 'unknown investigation "everything"'],
    [['ransom', trail.dir, '--since', 'yesterday'], '--since: "yesterday" is not a time'],
    [['ransom', trail.dir, '--threshold', '0'], '--threshold must be a positive whole number'],
    [['ransom', 'lookup:mars-1'], '"mars-1" is not a region'],
    [['ransom', trail.dir, '--athena'], '--athena needs SOURCE s3://bucket/prefix'],
    [['key', trail.dir, 'alias/prod-data'], 'is not a key ARN or key id (aliases cannot be resolved'],
    [['access-key', trail.dir, 'not a user!'], 'is neither an access key id'],
  ])('bad usage %j: exit 2 with a message', async (args, message) => {
    const { code, err, out } = await cli(...args);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(out).toBe('');
  });

  it('options commander rejects also exit 2', async () => {
    const { code, err } = await cli('ransom', trail.dir, '--format', 'xml');
    expect(code).toBe(2);
    expect(err).toContain("argument 'xml' is invalid");
  });

  it('a path that does not exist: exit 2, nothing could be read', async () => {
    const { code, err } = await cli('ransom', join(cache, 'missing'));
    expect(code).toBe(2);
    expect(err).toContain('nothing could be read');
    expect(err).toContain('does not exist');
  });

  it('--help exits 0', async () => {
    const { code, out } = await cli('--help');
    expect(code).toBe(0);
    expect(out).toContain('lookup:REGION[,REGION]');
  });
});
