/**
 * Policy parsing: parsePolicyText (JSON.parse + validation + normalisation, positions lazy) against plain
 * JSON.parse of the same 10,000 key policy texts. The CLI's budget is 0.2x JSON.parse's rate for the whole
 * analysis, so parsing must stay well above that.
 * Run alone: npx tsx bench/policy/parse.ts [n]
 */
import { parsePolicyText } from '../../src/policy';
import { realisticPairs } from './evaluate';

export interface ParseBench {
  parse_per_s: number;
  json_parse_per_s: number;
  ratio: number;
}

/** Key policy texts as GetKeyPolicy returns them (pretty-printed JSON). */
export function policyTexts(n: number): string[] {
  return realisticPairs(n, 99).map(([policy]) => JSON.stringify(policy, null, 2));
}

function bestRate(texts: string[], run: (text: string) => unknown, rounds: number): number {
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    for (const text of texts) run(text);
    best = Math.max(best, texts.length / ((performance.now() - started) / 1000));
  }
  return Math.round(best);
}

export function benchParse(n = 10_000, rounds = 7): ParseBench {
  const texts = policyTexts(n);
  for (const text of texts.slice(0, 1000)) if (!parsePolicyText(text).ok) throw new Error('benchmark policy rejected');
  // Interleave the two so both see the same machine load; keep the best round of each.
  let json = 0;
  let ours = 0;
  for (let i = 0; i < rounds; i++) {
    json = Math.max(json, bestRate(texts, JSON.parse, 1));
    ours = Math.max(ours, bestRate(texts, parsePolicyText, 1));
  }
  return { parse_per_s: ours, json_parse_per_s: json, ratio: Math.round((ours / json) * 100) / 100 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 10_000);
  const result = benchParse(n);
  console.log(`policy parsing, ${n} key policy texts`);
  console.log(`  JSON.parse:       ${result.json_parse_per_s.toLocaleString('en')} policies/s`);
  console.log(`  parsePolicyText:  ${result.parse_per_s.toLocaleString('en')} policies/s`);
  console.log(`  ratio: ${result.ratio}x of JSON.parse (the whole analysis must stay >= 0.2x)`);
}
