/**
 * (c) The whole CLI: `node bin/keywarden.js scan` over 10,000 bare key policy files with --format json --output FILE,
 * vs a Node process that reads and JSON.parses the same files. Target: at least 0.1x.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RatioResult } from './analysis';
import { keyPolicy } from './generate';

const ROOT = join(import.meta.dirname, '..');

export function policyFolder(n: number): string {
  const dir = join(ROOT, 'bench', '.cache', `policies-${n}`);
  if (existsSync(dir) && readdirSync(dir).length === n) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(join(dir, `key-${String(i).padStart(5, '0')}.json`), keyPolicy(i));
  return dir;
}

function timed(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`command failed (${r.status}): ${args.join(' ')}\n${r.stderr}`);
  return ms;
}

export function benchCli(n = 10_000): RatioResult {
  const dir = policyFolder(n);
  const out = join(ROOT, 'bench', '.cache', 'cli-report.json');
  const baselineScript = `const fs=require('fs'),p=require('path');const d=${JSON.stringify(dir)};let k=0;for(const f of fs.readdirSync(d).sort()){k+=JSON.parse(fs.readFileSync(p.join(d,f),'utf8')).Statement.length}fs.writeFileSync(${JSON.stringify(`${out}.baseline`)},String(k));`;

  const cli = [
    'bin/keywarden.js',
    'scan',
    dir,
    '--account',
    '111122223333',
    '--format',
    'json',
    '--output',
    out,
    '--fail-on',
    'none',
    '--quiet',
  ];
  // Alternate the two, run by run, so a busy moment on a shared machine hits both sides alike; the best of each counts.
  let baselineMs = Number.POSITIVE_INFINITY;
  let oursMs = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    baselineMs = Math.min(baselineMs, timed(['-e', baselineScript]));
    oursMs = Math.min(oursMs, timed(cli));
  }
  return {
    name: `CLI scan of ${n} policy files vs node reading + JSON.parse`,
    ours: (n / oursMs) * 1000,
    baseline: (n / baselineMs) * 1000,
    ratio: baselineMs / oursMs,
    unit: 'files/s',
    target: '>= 0.1x',
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(benchCli());
