/**
 * The parser fuzz at scale: 100,000 generated inputs (valid, mutated, malformed text), printing counts.
 * Run: npx tsx bench/policy/fuzz-100k.ts [count]. Exit 1 when any input broke a rule.
 */
import fc from 'fast-check';
import { parsePolicyValue } from '../../src/policy';
import { validPolicy } from '../../test/policy/arbitraries';
import { fuzzText, fuzzValue } from '../../test/policy/fuzz-checks';
import { mutatedPolicy, policyText } from '../../test/policy/mutations';

const total = Number(process.argv[2] ?? 100_000);
const counts = { valid: 0, validRejected: 0, mutated: 0, mutatedRejected: 0, text: 0, textRejected: 0, problems: 0 };
const examples: string[] = [];

function record(kind: string, problems: string[], input: unknown): void {
  if (problems.length === 0) return;
  counts.problems++;
  if (examples.length < 10) examples.push(`${kind}: ${problems.join('; ')} in ${JSON.stringify(input)?.slice(0, 300)}`);
}

const started = performance.now();
const share = Math.floor(total / 10);
fc.assert(
  fc.property(validPolicy, (policy) => {
    counts.valid++;
    const result = parsePolicyValue(policy);
    if (!result.ok) {
      counts.validRejected++;
      record(
        'valid',
        result.errors.map((e) => `${e.pointer}: ${e.message}`),
        policy,
      );
    }
  }),
  { numRuns: share * 2 },
);
fc.assert(
  fc.property(mutatedPolicy, (value) => {
    counts.mutated++;
    const outcome = fuzzValue(value);
    if (!outcome.ok) counts.mutatedRejected++;
    record('mutated', outcome.problems, value);
  }),
  { numRuns: share * 5 },
);
fc.assert(
  fc.property(policyText, (text) => {
    counts.text++;
    const outcome = fuzzText(text);
    if (!outcome.ok) counts.textRejected++;
    record('text', outcome.problems, text);
  }),
  { numRuns: total - share * 7 },
);
const seconds = (performance.now() - started) / 1000;

console.log(`policy parser fuzz: ${counts.valid + counts.mutated + counts.text} inputs in ${seconds.toFixed(1)} s`);
console.log(`  valid policies:   ${counts.valid} generated, ${counts.validRejected} wrongly rejected`);
console.log(`  mutated policies: ${counts.mutated} generated, ${counts.mutatedRejected} rejected`);
console.log(`  policy texts:     ${counts.text} generated, ${counts.textRejected} rejected`);
console.log(`  inputs breaking a rule (throw, empty message, pointer outside the input): ${counts.problems}`);
for (const example of examples) console.log(`    ${example}`);
process.exitCode = counts.problems + counts.validRejected === 0 ? 0 : 1;
