/**
 * npm run bench: every benchmark, each a ratio against a baseline measured in the same run (never a timed test).
 * `npm run bench -- analysis cli` runs only those. Figures and the machine go to docs/PERFORMANCE.md by hand.
 */
import { cpus, totalmem } from 'node:os';

// The AWS SDK's Node-version notice is noise in benchmark output, as it is for CLI users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

interface Bench {
  name: string;
  run: () => Promise<Record<string, unknown>>;
}

const benches: Bench[] = [
  { name: 'analysis', run: async () => ({ ...(await import('./analysis')).benchAnalysis() }) },
  { name: 'evaluate', run: async () => ({ ...(await (await import('./policy/evaluate')).benchEvaluate()) }) },
  { name: 'cli', run: async () => ({ ...(await import('./cli')).benchCli() }) },
  { name: 'parse', run: async () => ({ ...(await import('./policy/parse')).benchParse() }) },
  {
    name: 'collector',
    run: async () => ({
      name: 'live scan of 10,000 keys over 4 regions (simulated KMS at the published quotas, 20 ms per call): wall time / quota lower bound',
      target: '<= 1.25',
      ...(await (await import('./aws/collector')).benchCollector()),
    }),
  },
  { name: 'trail', run: async () => ({ ...(await (await import('./trail/replay')).benchTrail()) }) },
  { name: 'watch', run: async () => ({ ...(await (await import('./watch/watch')).benchWatch()) }) },
  { name: 'templates', run: async () => ({ ...(await (await import('./iac/templates')).benchTemplates()) }) },
];

const wanted = process.argv.slice(2);
console.log(
  `keywarden benchmarks on ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
let failed = false;
for (const bench of benches) {
  if (wanted.length > 0 && !wanted.includes(bench.name)) continue;
  try {
    const result = await bench.run();
    const ratio = typeof result.ratio === 'number' ? `${result.ratio.toFixed(3)}x` : '';
    console.log(`\n[${bench.name}] ${result.name ?? ''}\n  ratio ${ratio} (target ${result.target ?? 'n/a'})`);
    for (const [k, v] of Object.entries(result)) {
      if (['name', 'ratio', 'target'].includes(k)) continue;
      console.log(`  ${k}: ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(2)) : JSON.stringify(v)}`);
    }
  } catch (error) {
    failed = true;
    console.log(`\n[${bench.name}] could not run: ${(error as Error).message}`);
  }
}
process.exitCode = failed ? 1 : 0;
