/**
 * Benchmark: events scanned per second by the exposure replay (`keywarden trail exposures PATH`, file stream
 * engine) over a 1-million-event synthetic trail in gz files, as a ratio to DuckDB reading the same files with a bare
 * count(*). Target: at least 0.5x. Peak RSS reported. Runnable alone: `npx tsx bench/trail/replay.ts [events]`.
 * The trail is generated once into bench/.cache (gitignored) and reused.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { runInvestigation } from '../../src/trail/detect/run';
import { fileSource, listTrailFiles } from '../../src/trail/read/files';
import { simpleJudge } from '../../test/trail/judge';
import { syntheticTrail } from '../../test/trail/synthetic/generate';

const peakRssMiB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

export async function benchTrail(events = 1_000_000) {
  const started = performance.now();
  const trail = syntheticTrail({
    events,
    seed: 42,
    gzipLevel: 6,
    dir: join(import.meta.dirname, `../.cache/trail-${events}-s42`),
  });
  const generation = Math.round(performance.now() - started);
  const files = await listTrailFiles(trail.dir);
  if (!files.ok) throw new Error(files.reason);
  // Warm the page cache so neither side pays for the disk.
  for (const file of files.files) await readFile(file);

  const rssBefore = peakRssMiB();
  const t0 = performance.now();
  const source = fileSource(trail.dir);
  const outcome = await runInvestigation('exposures', (query) => source.read(query), {
    window: {},
    judgePolicy: simpleJudge,
  });
  const replayMs = performance.now() - t0;
  const rssAfterReplay = peakRssMiB();
  if (!outcome.ok) throw new Error(outcome.reason);
  const read = source.report();

  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const t1 = performance.now();
  const counted = await connection.runAndReadAll(
    `SELECT count(*) AS n FROM (SELECT unnest(Records) FROM read_json('${trail.dir}/**/*.json.gz', columns = {'Records': 'JSON[]'}))`,
  );
  const duckMs = performance.now() - t1;
  const duckEvents = Number(counted.getRowObjectsJson()[0]?.n);
  connection.closeSync();
  instance.closeSync();

  const replayRate = read.events / (replayMs / 1000);
  const duckRate = duckEvents / (duckMs / 1000);
  return {
    name: `exposure replay over ${read.events.toLocaleString('en')} events in ${read.files} gz files vs DuckDB count(*) over the same files`,
    ratio: replayRate / duckRate,
    target: '>= 0.5',
    replayEventsPerSecond: Math.round(replayRate),
    duckdbEventsPerSecond: Math.round(duckRate),
    replayMs: Math.round(replayMs),
    duckdbMs: Math.round(duckMs),
    flags: outcome.value.result.flags.length,
    peakRssMiB: { beforeReplay: rssBefore, afterReplay: rssAfterReplay, afterDuckDb: peakRssMiB() },
    generationMs: generation,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchTrail(Number(process.argv[2] ?? 1_000_000));
  console.log(JSON.stringify(result, null, 2));
}
