/**
 * (a) Full analysis (parse, reach, every rule) of 10,000 generated key snapshots, as a rate relative to JSON.parse of
 * the same texts, measured in the same run. Target: at least 0.2x.
 *
 * Each timed run reads its own 10,000 snapshots (keys r*n .. r*n+n-1), so no run is helped by caches that an earlier
 * run warmed on the very same texts; baseline and analysis alternate, and the best run of each side counts.
 */
import { readSnapshotRecord } from '../src/kms/snapshot-read';
import { analyseKey, NO_TRUST } from '../src/rules/engine';
import { snapshotText } from './generate';

export interface RatioResult {
  name: string;
  ours: number;
  baseline: number;
  ratio: number;
  unit: string;
  target: string;
}

const RUNS = 5;

export function benchAnalysis(n = 10_000): RatioResult {
  // Texts as a file or the network gives them: flat strings. (JSON.stringify builds rope strings that the first
  // JSON.parse must flatten, which charged that cost to whichever side parsed a text first: the baseline.)
  const batches = Array.from({ length: RUNS }, (_, r) =>
    Array.from({ length: n }, (_, i) => Buffer.from(snapshotText(r * n + i)).toString()),
  );
  let sink = 0;
  let findings = 0;
  let baselineMs = Number.POSITIVE_INFINITY;
  let oursMs = Number.POSITIVE_INFINITY;
  // Baseline and analysis alternate run by run, so a busy moment on a shared machine hits both sides alike.
  for (const texts of batches) {
    let t = performance.now();
    for (const text of texts) sink += (JSON.parse(text) as { account: string }).account.length;
    baselineMs = Math.min(baselineMs, performance.now() - t);
    t = performance.now();
    for (const text of texts) {
      const { snapshot } = readSnapshotRecord(JSON.parse(text), { kind: 'file' });
      findings += analyseKey(snapshot, { trusted: NO_TRUST }).findings.length;
    }
    oursMs = Math.min(oursMs, performance.now() - t);
  }
  if (sink < 0 || findings < 0) throw new Error('unreachable');
  const ours = (n / oursMs) * 1000;
  const baseline = (n / baselineMs) * 1000;
  return {
    name: `full analysis of ${n} snapshots vs JSON.parse`,
    ours,
    baseline,
    ratio: ours / baseline,
    unit: 'keys/s',
    target: '>= 0.2x',
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(benchAnalysis());
