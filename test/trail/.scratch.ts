import { runInvestigation } from '../../src/trail/detect/run';
import { renderInvestigation } from '../../src/trail/detect/tables';
import { fileSource } from '../../src/trail/read/files';
import { simpleJudge } from './judge';
import { syntheticTrail } from './synthetic/generate';

let t = Date.now();
const trail = syntheticTrail({ events: 100_000 });
console.log('gen', Date.now() - t, trail.events, trail.files);
for (const [name, subject] of [
  ['exposures'],
  ['outsiders'],
  ['ransom'],
  ['key', trail.planted.publicKey],
  ['key', trail.planted.quietKey],
  ['access-key', trail.planted.leakedAccessKey],
  ['access-key', trail.planted.quietAccessKey],
] as const) {
  t = Date.now();
  const source = fileSource(trail.dir);
  const out = await runInvestigation(name as any, (q) => source.read(q), {
    window: {},
    subject,
    judgePolicy: simpleJudge,
  });
  if (!out.ok) {
    console.log(out.reason);
    continue;
  }
  console.log(name, subject, Date.now() - t, 'ms flags', out.value.result.flags.length);
  if (name !== 'key' || subject === trail.planted.publicKey)
    console.log(
      renderInvestigation(out.value, { source: trail.dir, window: 'all', read: source.report() }).slice(0, 3000),
    );
}
