/**
 * keywarden against its peers' labelled cases (/work/shared/corpus/real): per peer, the cases where keywarden and
 * the peer agree and where they differ, written to test/comparison/.out/<peer>.md. Every keywarden verdict is
 * asserted (cases.json), and every difference must be explained in docs/comparison.md under `### <why>`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keywardenVerdict, type PeerCase, type Verdict } from './keywarden-verdict';

const CORPUS = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'real');
const OUT = join(import.meta.dirname, '.out');
const DOC = join(import.meta.dirname, '..', '..', 'docs', 'comparison.md');
const { peers, cases } = JSON.parse(readFileSync(join(import.meta.dirname, 'cases.json'), 'utf8')) as {
  peers: Record<string, { name: string; source: string }>;
  cases: PeerCase[];
};
const present = existsSync(join(CORPUS, 'INDEX.md'));
if (!present) console.warn(`comparison with peers skipped: the peer corpus is not at ${CORPUS}`);

/** The peer's word in keywarden's: FAIL is FLAG; SKIP and UNKNOWN mean the peer gave no verdict. */
const peerVerdict = (word: string): string => (word === 'FAIL' ? 'FLAG' : word);
/** Both gave no verdict on an input without a key (`{}`: no template at all for keywarden) counts as agreeing. */
const same = (peer: string, keywarden: string): boolean =>
  peerVerdict(peer) === keywarden || (peer === 'SKIP' && keywarden === 'NOT-READ');
const agrees = (c: PeerCase, got: Verdict) => same(c.peerSays, got);

describe.skipIf(!present)('comparison with peer scanners', () => {
  it('every difference is explained in docs/comparison.md', () => {
    const doc = readFileSync(DOC, 'utf8');
    const reasons = new Set(cases.filter((c) => !same(c.peerSays, c.keywardenSays)).map((c) => c.why));
    expect(reasons.has(undefined), 'a case where keywarden differs has no "why"').toBe(false);
    for (const why of reasons) expect(doc, `docs/comparison.md has no "### ${why}" section`).toContain(`### ${why}`);
    for (const c of cases.filter((x) => x.why)) expect(same(c.peerSays, c.keywardenSays)).toBe(false);
  });

  for (const [peer, info] of Object.entries(peers)) {
    it(`${info.name}: keywarden gives the verdicts decided in cases.json; agreements and differences written out`, async () => {
      const own = cases.filter((c) => c.peer === peer);
      expect(own.length).toBeGreaterThan(0);
      const rows: string[] = [];
      const wrong: string[] = [];
      let agree = 0;
      for (const c of own) {
        const { verdict, detail } = await keywardenVerdict(CORPUS, c);
        if (verdict !== c.keywardenSays)
          wrong.push(
            `${c.file} ${c.case ?? c.resource ?? ''}: expected ${c.keywardenSays}, got ${verdict} (${detail})`,
          );
        if (agrees(c, verdict)) agree++;
        const what = `${c.file.split('/').slice(-2).join('/')}${c.case ? ` [${c.case}]` : ''} ${c.resource ?? ''}`;
        rows.push(
          `| ${agrees(c, verdict) ? 'agree' : 'DIFFER'} | ${c.check} | ${what.trim()} | ${c.peerSays} | ${verdict} | ${c.why ? `[${c.why}](../../../docs/comparison.md#${c.why})` : ''} | ${detail.replace(/\|/g, '\\|').slice(0, 160)} |`,
        );
      }
      mkdirSync(OUT, { recursive: true });
      const differ = own.length - agree;
      writeFileSync(
        join(OUT, `${peer}.md`),
        [
          `# keywarden vs ${info.name}`,
          '',
          `Labels from ${info.source}. ${own.length} cases: ${agree} agree, ${differ} differ (explained in docs/comparison.md).`,
          '',
          '| | peer check | case | peer | keywarden | why | keywarden detail |',
          '|---|---|---|---|---|---|---|',
          ...rows.sort((a, b) => (a.startsWith('| DIFFER') ? 0 : 1) - (b.startsWith('| DIFFER') ? 0 : 1)),
          '',
        ].join('\n'),
      );
      console.log(`keywarden vs ${info.name}: ${agree} agree, ${differ} differ (test/comparison/.out/${peer}.md)`);
      expect(wrong).toEqual([]);
    });
  }
});
