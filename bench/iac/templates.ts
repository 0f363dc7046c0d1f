/**
 * IaC readers: templates read per second over the peer corpus (/work/shared/corpus/real) by readTemplate, against
 * the `yaml` package alone parsing the same files (CloudFormation/SAM YAML and JSON, Terraform plan JSON).
 * ratio = ours per second / yaml per second; target at least 0.3x. Terraform .tf files are read too and reported
 * separately (yaml cannot parse HCL). Runnable alone: `npx tsx bench/iac/templates.ts`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseDocument } from 'yaml';
import { detectTemplate, readTemplate } from '../../src/sources/iac';

const CORPUS = '/work/shared/corpus/real';

export interface TemplatesBench {
  name: string;
  ours: number;
  baseline: number;
  ratio: number;
  unit: string;
  target: string;
  templates: number;
  keys: number;
  terraformFiles: number;
  terraformPerSecond: number;
}

function files(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Best of `rounds` timings of reading every text `repeat` times, in milliseconds per pass. */
async function best(rounds: number, repeat: number, pass: () => Promise<void> | void): Promise<number> {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < repeat; i++) await pass();
    min = Math.min(min, (performance.now() - start) / repeat);
  }
  return min;
}

export async function benchTemplates(): Promise<TemplatesBench> {
  if (!existsSync(CORPUS)) throw new Error(`the peer corpus ${CORPUS} is not present`);
  let sink = 0; // results are consumed so that no pass can be optimised away
  const all = files(CORPUS)
    .filter((path) => /\.(ya?ml|json|tf|template)$/.test(path))
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }))
    .map((file) => ({ ...file, format: detectTemplate(file.text, file.path) }))
    .filter((file) => file.format !== undefined);
  const templates = all.filter((file) => file.format !== 'terraform-hcl');
  const terraform = all.filter((file) => file.format === 'terraform-hcl');
  let keys = 0;
  // Warm up both (JIT, the hcl2json WebAssembly module).
  for (const file of all) keys += (await readTemplate(file.text, file.path)).keys.length;
  const baselineMs = await best(5, 10, () => {
    for (const file of templates) sink += parseDocument(file.text).contents ? 1 : 0;
  });
  const oursMs = await best(5, 10, async () => {
    for (const file of templates) sink += (await readTemplate(file.text, file.path)).keys.length;
  });
  const terraformMs = await best(3, 3, async () => {
    for (const file of terraform) sink += (await readTemplate(file.text, file.path)).keys.length;
  });
  if (sink < 0) throw new Error('unreachable');
  const ours = templates.length / (oursMs / 1000);
  const baseline = templates.length / (baselineMs / 1000);
  return {
    name: `readTemplate over ${templates.length} peer-corpus templates vs yaml parseDocument alone`,
    ours,
    baseline,
    ratio: ours / baseline,
    unit: 'templates/s',
    target: '>= 0.3x',
    templates: templates.length,
    keys,
    terraformFiles: terraform.length,
    terraformPerSecond: terraform.length / (terraformMs / 1000),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchTemplates();
  console.log(`[iac] ${result.name}`);
  console.log(`  ratio ${result.ratio.toFixed(3)}x (target ${result.target})`);
  for (const [key, value] of Object.entries(result)) {
    if (['name', 'ratio', 'target'].includes(key)) continue;
    console.log(`  ${key}: ${typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(1) : value}`);
  }
}
