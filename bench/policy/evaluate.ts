/**
 * Request evaluation: our evaluate() against @cloud-copilot/iam-simulate's runSimulation on the same 10,000
 * generated (key policy, request) pairs. Target: ours at least 10x faster.
 * Run alone: npx tsx bench/policy/evaluate.ts [n]
 */
import fc from 'fast-check';
import { evaluate, parsePolicyValue } from '../../src/policy';
import type { ParsedPolicy, Request } from '../../src/policy/types';
import { OWN, pair } from '../../test/policy/differential-model';
import { simulate } from '../../test/policy/iam-simulate';

export interface EvaluateBench {
  ours_per_s: number;
  theirs_per_s: number;
  ratio: number;
  /** Ours including parsing each policy first (iam-simulate validates and loads the policy on every call). */
  ours_with_parse_per_s: number;
  ratio_with_parse: number;
  /** Pairs where the two engines decided differently (expected 0: the generator avoids documented differences). */
  disagreements: number;
}

/** Realistic pairs: the documented default root statement plus generated statements, conditions and callers. */
export function realisticPairs(n: number, seed = 42): [Record<string, unknown>, Request][] {
  const root = {
    Sid: 'Enable IAM User Permissions',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${OWN}:root` },
    Action: 'kms:*',
    Resource: '*',
  };
  return fc.sample(pair, { numRuns: n, seed }).map(([policy, request]) => {
    const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
    return [{ Version: '2012-10-17', Id: 'key-policy', Statement: [root, ...statements] }, request];
  });
}

function perSecond(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

export async function benchEvaluate(n = 10_000): Promise<EvaluateBench> {
  const pairs = realisticPairs(n);
  const parsed: ParsedPolicy[] = pairs.map(([policy]) => {
    const result = parsePolicyValue(policy);
    if (!result.ok) throw new Error(`benchmark policy rejected: ${JSON.stringify(result.errors)}`);
    return result.policy;
  });
  // Warm both engines on other pairs (JIT, iam-data loading).
  for (const [policy, request] of realisticPairs(300, 7)) {
    const p = parsePolicyValue(policy);
    if (p.ok) evaluate(p.policy, request);
    await simulate(policy, request, OWN);
  }

  const decisions: string[] = new Array(n);
  let started = performance.now();
  for (let i = 0; i < n; i++) decisions[i] = evaluate(parsed[i]!, pairs[i]![1]).decision;
  const oursMs = performance.now() - started;

  started = performance.now();
  for (let i = 0; i < n; i++) {
    const result = parsePolicyValue(pairs[i]![0]);
    if (result.ok) evaluate(result.policy, pairs[i]![1]);
  }
  const oursWithParseMs = performance.now() - started;

  let disagreements = 0;
  started = performance.now();
  for (let i = 0; i < n; i++) {
    const theirs = await simulate(pairs[i]![0], pairs[i]![1], OWN);
    if (theirs !== decisions[i]) disagreements++;
  }
  const theirsMs = performance.now() - started;

  const ours = perSecond(n, oursMs);
  const oursWithParse = perSecond(n, oursWithParseMs);
  const theirs = perSecond(n, theirsMs);
  return {
    ours_per_s: ours,
    theirs_per_s: theirs,
    ratio: Math.round((ours / theirs) * 10) / 10,
    ours_with_parse_per_s: oursWithParse,
    ratio_with_parse: Math.round((oursWithParse / theirs) * 10) / 10,
    disagreements,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 10_000);
  const result = await benchEvaluate(n);
  console.log(`request evaluation, ${n} (key policy, request) pairs`);
  console.log(`  keywarden evaluate():         ${result.ours_per_s.toLocaleString('en')} requests/s`);
  console.log(`  keywarden parse + evaluate(): ${result.ours_with_parse_per_s.toLocaleString('en')} requests/s`);
  console.log(`  iam-simulate runSimulation:   ${result.theirs_per_s.toLocaleString('en')} requests/s`);
  console.log(`  ratio: ${result.ratio}x (with parsing: ${result.ratio_with_parse}x; target >= 10x)`);
  console.log(`  decisions that differ: ${result.disagreements}`);
}
