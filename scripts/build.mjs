// Build: generate the KMS action catalogue, then bundle the CLI (and Lambda handlers) with esbuild.
// Runs on `npm ci` (prepare) so a fresh clone works with `npx keywarden ...` at once.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { generateKmsCatalogue } from './gen-kms-catalogue.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { count } = generateKmsCatalogue();

await build({
  entryPoints: [join(root, 'src/cli/main.ts')],
  outfile: join(root, 'dist/cli.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,

  packages: 'external',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});

// Lambda handlers: one small bundle each, AWS SDK included (pinned by our lock, not the runtime's copy).
const lambdaDir = join(root, 'src/lambda');
const handlers = existsSync(lambdaDir)
  ? readdirSync(lambdaDir).filter((f) => f.endsWith('.handler.ts') && statSync(join(lambdaDir, f)).isFile())
  : [];
for (const file of handlers) {
  const name = file.replace(/\.handler\.ts$/, '');
  mkdirSync(join(root, 'dist/lambda', name), { recursive: true });
  await build({
    entryPoints: [join(lambdaDir, file)],
    outfile: join(root, 'dist/lambda', name, 'index.mjs'),
    bundle: true,
    minify: true,
    platform: 'node',
    // ESM entries first: some packages' UMD "main" (jsonc-parser) loads sibling files at run time.
    mainFields: ['module', 'main'],
    target: 'node22',
    format: 'esm',
    sourcemap: false,
    external: ['better-sqlite3', '@duckdb/node-api'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
    metafile: false,
  });
}
if (process.env.KEYWARDEN_BUILD_QUIET !== '1') {
  console.error(`keywarden build: ${count} KMS actions catalogued, CLI bundled, ${handlers.length} Lambda handler(s).`);
}
