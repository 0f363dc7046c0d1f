import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keywarden, ROOT } from './run';

describe('scan --config keywarden.yaml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kw-config-'));
  const demo = join(ROOT, 'examples', 'demo-account');

  it('trusts what the file trusts, as the flags do', () => {
    writeFileSync(
      join(dir, 'keywarden.yaml'),
      'trusted:\n  accounts: ["444455556666"]\n  organizations: ["o-a1b2c3d4e5"]\n',
    );
    const r = keywarden(['scan', demo, '--format', 'json', '-q'], { cwd: dir });
    const report = JSON.parse(r.stdout) as { keys: Array<{ aliases: string[]; findings: Array<{ rule: string }> }> };
    const rules = (alias: string) =>
      report.keys
        .find((k) => k.aliases.includes(alias))!
        .findings.map((f) => f.rule)
        .sort();
    expect(rules('alias/shared-artifacts')).toEqual([]);
    expect(rules('alias/partner-feed')).toEqual(['external-create-grant', 'rotation-disabled']);
  });

  it('names file, line and path of a bad configuration and exits 2', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'trusted:\n  accounts: ["not-an-account"]\n');
    const r = keywarden(['scan', demo, '--config', bad, '-q']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:2/);
    expect(r.stderr).toContain('trusted.accounts');
  });

  it('config validate and config schema help write it', () => {
    const schema = keywarden(['config', 'schema']);
    expect(schema.status).toBe(0);
    expect(JSON.parse(schema.stdout).$schema).toMatch(/json-schema/);
    expect(keywarden(['config', 'validate', join(dir, 'keywarden.yaml')]).status).toBe(0);
  });
});
