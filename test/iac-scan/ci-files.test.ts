/** The CI entry points documented in docs/ci.md: the pre-commit hook and the GitHub Actions workflow. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { keywarden } from '../cli/run';
import { ROOT } from './helpers';

describe('pre-commit hook', () => {
  const [hook] = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<Record<string, unknown>>;

  it('selects template files and runs keywarden scan on them', () => {
    expect(hook).toMatchObject({ id: 'keywarden', language: 'node', pass_filenames: true });
    const files = new RegExp(String(hook?.files));
    for (const f of ['infra/app.yaml', 'a.yml', 'stack.template', 'main.tf', 'plan.json'])
      expect(files.test(f)).toBe(true);
    for (const f of ['src/app.ts', 'README.md']) expect(files.test(f)).toBe(false);
  });

  it('its entry fails a commit of a public key and passes one of accepted risks', () => {
    const args = String(hook?.entry).split(' ');
    expect(args.slice(0, 2)).toEqual(['keywarden', 'scan']);
    const bad = keywarden([...args.slice(1), 'examples/templates/public-key.yaml', 'examples/templates/sam-app.yaml']);
    expect(bad.status).toBe(1);
    const ok = keywarden([...args.slice(1), 'examples/templates/suppressed.yaml', 'examples/templates/sam-app.yaml']);
    expect(ok.status).toBe(0);
  });
});

describe('GitHub Actions example', () => {
  it('is valid YAML, scans to a SARIF file and uploads that file with upload-sarif, even when the scan fails', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'ci.md'), 'utf8');
    const block = /```yaml\n(name: keywarden[\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    const workflow = parse(block!) as {
      permissions: Record<string, string>;
      jobs: {
        keywarden: { steps: Array<{ run?: string; uses?: string; if?: string; with?: Record<string, string> }> };
      };
    };
    expect(workflow.permissions['security-events']).toBe('write');
    const steps = workflow.jobs.keywarden.steps;
    const scan = steps.find((s) => s.run?.includes('keywarden scan'));
    const output = /--output (\S+)/.exec(scan?.run ?? '')?.[1];
    expect(scan?.run).toContain('--format sarif');
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
    expect(upload?.with?.sarif_file).toBe(output);
    expect(upload?.if).toBe('always()');
  });
});
