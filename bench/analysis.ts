/**
 * (a) Full analysis (parse, reach, every rule) of 10,000 generated key snapshots, as a rate relative to JSON.parse of
 * the same texts, measured in the same run. Target: at least 0.2x.
 *
 * Each timed run reads its own 10,000 snapshots (keys r*n .. r*n+n-1), so no run is helped by caches that an earlier
 * run warmed on the very same texts; the best of the runs counts, for both sides.
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

const RUNS = 3;

/** The fastest of the runs; run r gets the r-th batch of texts. */
const best = (batches: readonly string[][], fn: (texts: readonly string[]) => void): number => {
  let min = Number.POSITIVE_INFINITY;
  for (const texts of batches) {
    const t = performance.now();
    fn(texts);
    min = Math.min(min, performance.now() - t);
  }
  return min;
};

export function benchAnalysis(n = 10_000): RatioResult {
  const batches = Array.from({ length: RUNS }, (_, r) => Array.from({ length: n }, (_, i) => snapshotText(r * n + i)));
  let sink = 0;
  const baselineMs = best(batches, (texts) => {
    for (const t of texts) sink += (JSON.parse(t) as { account: string }).account.length;
  });
  let findings = 0;
  const oursMs = best(batches, (texts) => {
    for (const t of texts) {
      const { snapshot } = readSnapshotRecord(JSON.parse(t), { kind: 'file' });
      findings += analyseKey(snapshot, { trusted: NO_TRUST }).findings.length;
    }
  });
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
