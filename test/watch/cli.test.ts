/**
 * `keywarden watch --event` and `keywarden fix` as a user runs them (the commands parsed by commander): scan's
 * formats and exit codes, the JSON report validated against schemas/report.v1.json, SARIF baseline states, AWS
 * unreachable through the real SDK (a closed port), kept events, channels from keywarden.yaml.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fixCommand, watchCommand } from '../../src/cli/watch-command';
import {
  envelope,
  loadEvent,
  minute,
  OUTSIDER,
  outsiderStatement,
  PUBLIC_STATEMENT,
  policyText,
  putKeyPolicy,
} from './helpers';

const ROOT = join(import.meta.dirname, '..', '..');
const validateReport = (() => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'report.v1.json'), 'utf8')));
})();

let dir: string;
let closedPort: number;
const env = { ...process.env };

beforeAll(async () => {
  // A port that was free a moment ago: connections to it are refused (AWS unreachable).
  closedPort = await new Promise<number>((resolve) => {
    const server = createTcpServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keywarden-watch-cli-'));
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDCLITEST',
    AWS_SECRET_ACCESS_KEY: 'cli-test-only',
    AWS_REGION: 'us-west-2',
    AWS_ENDPOINT_URL_KMS: `http://127.0.0.1:${closedPort}`,
    AWS_MAX_ATTEMPTS: '1',
  });
  delete process.env.AWS_PROFILE;
});
afterEach(() => {
  process.env = { ...env };
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};

/** Runs `keywarden <args>` and returns the exit code and what it wrote to --output (or stdout for fix). */
async function keywarden(args: string[]): Promise<{ code: number; out: string; stderr: string }> {
  const program = new Command('keywarden').exitOverride().addCommand(watchCommand()).addCommand(fixCommand());
  const printed: string[] = [];
  const errors: string[] = [];
  const out = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation(((chunk: string) => void printed.push(String(chunk))) as never);
  const err = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation(((chunk: string) => void errors.push(String(chunk))) as never);
  process.exitCode = undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  const output = args.includes('-o') ? readFileSync(args[args.indexOf('-o') + 1]!, 'utf8') : printed.join('');
  return { code, out: output, stderr: errors.join('') };
}

const publicEvent = () =>
  envelope(putKeyPolicy({ time: minute(1), id: 'cli-1', policy: policyText(PUBLIC_STATEMENT) }));
const revertEvent = () => envelope(putKeyPolicy({ time: minute(2), id: 'cli-2', policy: policyText() }));

describe('keywarden watch --event', () => {
  it('prints the key as of the event and what is new; exits 1 on a new finding at or above --fail-on', async () => {
    const db = join(dir, 'w.db');
    const r = await keywarden([
      'watch',
      '--event',
      file('e.json', publicEvent()),
      '--db',
      db,
      '--offline',
      '-o',
      join(dir, 'out.txt'),
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('PutKeyPolicy on arn:aws:kms:us-west-2:111122223333:key/');
    expect(r.out).toContain('public-key');
    expect(r.out).toMatch(/new:\n\s+CRITICAL public-key KW-/);
    const revert = await keywarden([
      'watch',
      '--event',
      file('r.json', revertEvent()),
      '--db',
      db,
      '--offline',
      '-o',
      join(dir, 'r.txt'),
    ]);
    expect(revert.code).toBe(0);
    expect(revert.out).toMatch(/resolved:\n\s+CRITICAL public-key/);
  });

  it('writes keywarden.watch/v1 JSON whose embedded report validates against the report schema', async () => {
    const r = await keywarden([
      'watch',
      '--event',
      file('rec.json', [publicEvent(), revertEvent()]),
      '--db',
      join(dir, 'w.db'),
      '--offline',
      '--format',
      'json',
      '-o',
      join(dir, 'out.json'),
    ]);
    const doc = JSON.parse(r.out);
    expect(doc.format).toBe('keywarden.watch/v1');
    expect(doc.events).toHaveLength(2);
    expect(doc.events[0].diff.new.length).toBeGreaterThan(0);
    expect(doc.events[1].diff.resolved.map((f: { rule: string }) => f.rule)).toContain('public-key');
    for (const event of doc.events) {
      expect(validateReport(event.report), JSON.stringify(validateReport.errors?.slice(0, 3))).toBe(true);
    }
    expect(r.code).toBe(1);
  });

  it('marks SARIF results new, unchanged or absent (resolved)', async () => {
    const shared = envelope(
      putKeyPolicy({ time: minute(3), id: 'cli-3', policy: policyText(outsiderStatement(OUTSIDER)) }),
    );
    const r = await keywarden([
      'watch',
      '--event',
      file('rec.json', [publicEvent(), shared]),
      '--db',
      join(dir, 'w.db'),
      '--offline',
      '--format',
      'sarif',
      '-o',
      join(dir, 'out.sarif'),
    ]);
    const results = JSON.parse(r.out).runs[0].results as Array<{ ruleId: string; baselineState: string }>;
    const states = (rule: string) => results.filter((x) => x.ruleId === rule).map((x) => x.baselineState);
    expect(states('public-key')).toContain('new');
    expect(states('public-key')).toContain('absent');
    expect(states('untrusted-account-access')).toContain('new');
  });

  it('with AWS unreachable reports what the event shows, lists the calls that failed, exits 2', async () => {
    const r = await keywarden([
      'watch',
      '--event',
      file('e.json', publicEvent()),
      '--db',
      join(dir, 'w.db'),
      '-o',
      join(dir, 'o.txt'),
    ]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('public-key');
    expect(r.out).toMatch(/AWS calls that failed:\n\s+DescribeKey: \S+: .*ECONNREFUSED/);
    expect(r.out).not.toContain('cli-test-only');
  });

  it('keeps an event it cannot handle and exits 2', async () => {
    const r = await keywarden([
      'watch',
      '--event',
      file('t.json', loadEvent('tag-resource')),
      '--db',
      join(dir, 'w.db'),
      '--offline',
      '-o',
      join(dir, 'o.txt'),
    ]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('Event kept, not analysed: not an event the watch follows: kms.amazonaws.com TagResource');
  });

  it('says what is wrong with a file that is not JSON', async () => {
    await expect(keywarden(['watch', '--event', file('bad.json', '{"eventName": '), '--offline'])).rejects.toThrow(
      /not valid JSON/,
    );
  });
});

describe('channels and trust from keywarden.yaml', () => {
  let web: Server;
  const posts: unknown[] = [];
  beforeAll(async () => {
    web = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => web.close(() => resolve()));
  });

  it('alerts through the configured webhook once, and trusts the configured accounts', async () => {
    const url = `http://127.0.0.1:${(web.address() as AddressInfo).port}/alerts`;
    const config = file(
      'keywarden.yaml',
      `trusted:\n  accounts: ['${OUTSIDER}']\nnotifications:\n  channels:\n    - type: webhook\n      url: ${url}\n`,
    );
    const event = envelope(
      putKeyPolicy({ time: minute(1), id: 'cfg', policy: policyText(PUBLIC_STATEMENT, outsiderStatement(OUTSIDER)) }),
    );
    const args = [
      'watch',
      '--event',
      file('e.json', event),
      '--db',
      join(dir, 'w.db'),
      '--offline',
      '--config',
      config,
      '-o',
      join(dir, 'o.txt'),
    ];
    const first = await keywarden(args);
    expect(first.stderr).toContain('1 notification(s) sent');
    expect(posts).toHaveLength(1);
    const rules = (posts[0] as { findings: Array<{ rule: string }> }).findings.map((f) => f.rule);
    expect(rules).toContain('public-key');
    expect(rules).not.toContain('untrusted-account-access');
    await keywarden(args);
    expect(posts).toHaveLength(1);
  });

  it('rejects a configuration with a secret in it, naming the place', async () => {
    const config = file(
      'keywarden.yaml',
      'notifications:\n  channels:\n    - type: smtp\n      host: h\n      from: a@b.c\n      to: d@e.f\n      password: hunter2\n',
    );
    await expect(
      keywarden(['watch', '--event', file('e.json', publicEvent()), '--offline', '--config', config]),
    ).rejects.toThrow(/keywarden\.yaml:\d+:\d+: notifications\.channels\[0\]\.password: do not put the SMTP password/);
  });
});

describe('keywarden fix', () => {
  it('shows the plan offline from the stored state (dry run), and needs AWS to execute', async () => {
    const db = join(dir, 'w.db');
    const watched = await keywarden([
      'watch',
      '--event',
      file('e.json', publicEvent()),
      '--db',
      db,
      '--offline',
      '--format',
      'json',
      '-o',
      join(dir, 'o.json'),
    ]);
    const findings = JSON.parse(watched.out).events[0].report.keys[0].findings as Array<{ id: string; rule: string }>;
    const id = findings.find((f) => f.rule === 'public-key')!.id;
    const plan = await keywarden(['fix', id, '--db', db, '--offline', '--format', 'json']);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.out)).toMatchObject({
      status: 'planned',
      steps: [{ outcome: 'dry-run', step: { action: 'PutKeyPolicy', bypassPolicyLockoutSafetyCheck: false } }],
    });
    await expect(keywarden(['fix', id, '--db', db, '--offline', '--execute'])).rejects.toThrow(/--execute needs AWS/);
    const unreachable = await keywarden(['fix', id, '--db', db, '--execute']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.out).toContain('ECONNREFUSED');
  });
});
