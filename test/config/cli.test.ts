/**
 * How commands find keywarden.yaml (loadConfigForCli) and `keywarden config validate|schema`, run in-process
 * (the CLI owner wires `configCommand()` into main.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configCommand, loadConfigForCli } from '../../src/cli/config-command';
import { configJsonSchemaText } from '../../src/config';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'keywarden.yaml');
const clock = () => new Date('2026-11-20T10:00:00Z');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keywarden-config-'));
});

describe('loadConfigForCli', () => {
  it('reads --config FILE relative to the working directory', () => {
    writeFileSync(join(dir, 'org.yaml'), 'trusted:\n  accounts: ["444455556666"]\n');
    const loaded = loadConfigForCli('org.yaml', dir, clock);
    if (!loaded.ok) throw new Error(loaded.message);
    expect(loaded.file).toBe('org.yaml');
    expect(loaded.options.trusted.accounts).toEqual(['444455556666']);
    expect(loaded.options.now).toBe('2026-11-20T10:00:00.000Z');
  });

  it('else ./keywarden.yaml', () => {
    writeFileSync(join(dir, 'keywarden.yaml'), 'administrators: [AROAOTTER*]\n');
    const loaded = loadConfigForCli(undefined, dir, clock);
    if (!loaded.ok) throw new Error(loaded.message);
    expect(loaded.file).toBe('keywarden.yaml');
    expect(loaded.options.rules?.['admin-allowlist']?.params).toEqual({ administrators: ['AROAOTTER*'], keyUsers: [] });
  });

  it('else the defaults, with no file', () => {
    const loaded = loadConfigForCli(undefined, dir, clock);
    if (!loaded.ok) throw new Error(loaded.message);
    expect(loaded.file).toBeUndefined();
    expect(loaded.options.trusted).toEqual({ accounts: [], organizations: [], orgPaths: [] });
  });

  it('a missing --config file is a located error, not a crash', () => {
    const loaded = loadConfigForCli('nope.yaml', dir, clock);
    expect(loaded).toMatchObject({ ok: false, file: 'nope.yaml' });
    if (loaded.ok) return;
    expect(loaded.message).toBe(
      'nope.yaml: cannot read the configuration file (no such file): check the --config path',
    );
  });

  it('an invalid file: every error as file:line:column: path: message', () => {
    writeFileSync(join(dir, 'keywarden.yaml'), 'keys:\n  disabled: maybe\nsuppressions:\n  - rule: key-state\n');
    const loaded = loadConfigForCli(undefined, dir, clock);
    if (loaded.ok) throw new Error('accepted');
    expect(loaded.message.split('\n')).toEqual([
      'keywarden.yaml:2:13: keys.disabled: expected one of "report", "fail", "not-applicable"',
      'keywarden.yaml:4:5: suppressions[0].reason: missing: why this finding is accepted',
      'keywarden.yaml:4:5: suppressions[0].owner: missing: who renews or removes this suppression',
      'keywarden.yaml:4:5: suppressions[0].expires: missing: the date it stops suppressing (YYYY-MM-DD)',
    ]);
  });

  it('warns about suppressions that have already expired', () => {
    writeFileSync(
      join(dir, 'keywarden.yaml'),
      'suppressions:\n  - rule: key-state\n    reason: r\n    owner: bob@example.com\n    expires: 2026-01-31\n',
    );
    const loaded = loadConfigForCli(undefined, dir, clock);
    if (!loaded.ok) throw new Error(loaded.message);
    expect(loaded.warnings).toEqual([
      'keywarden.yaml: suppressions[0] (owner bob@example.com) expired on 2026-01-31: it no longer suppresses anything; renew or remove it',
    ]);
  });
});

describe('keywarden config', () => {
  let out: string;
  let err: string;
  beforeEach(() => {
    out = '';
    err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err += String(chunk);
      return true;
    });
    process.exitCode = undefined;
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });
  const run = (...args: string[]) => configCommand().parseAsync(['node', 'config', ...args]);

  it('validate FILE: valid, with a summary', async () => {
    await run('validate', EXAMPLE);
    expect(process.exitCode).toBeUndefined();
    expect(out).toMatch(
      /keywarden\.yaml: valid \(3 trusted parties, 3 exemptions, 3 administrator entries, .* 2 suppressions\)/,
    );
  });

  it('validate FILE: invalid, exit 2 with the located errors on stderr', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'trusted:\n  acounts: []\n');
    await run('validate', file);
    expect(process.exitCode).toBe(2);
    expect(err).toContain(`${file}:2:3: trusted.acounts: trusted does not take "acounts" (did you mean "accounts"?)`);
    expect(err).toContain('is not valid (1 problem)');
    expect(out).toBe('');
  });

  it('schema: prints the generated JSON Schema, or writes it with --output', async () => {
    await run('schema');
    expect(out).toBe(configJsonSchemaText());
    const file = join(dir, 'schema.json');
    await run('schema', '--output', file);
    expect(readFileSync(file, 'utf8')).toBe(configJsonSchemaText());
  });
});
