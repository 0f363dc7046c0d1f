/** docs/rules.md, generated from the rule registry (`npx tsx scripts/rules-doc.ts --write`); a test keeps it current. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../src/rules/registry';

export function rulesDoc(): string {
  const lines = [
    '# Rules',
    '',
    'Generated from `src/rules/*/rule.ts` by `npx tsx scripts/rules-doc.ts --write`; do not edit by hand.',
    'Each rule id is the stable name used by configuration, suppressions and SARIF. Severities are defaults: each can be overridden.',
    '',
    '| id | default severity | title | AWS permissions |',
    '| --- | --- | --- | --- |',
    ...RULES.map(
      (r) => `| \`${r.id}\` | ${r.severity} | ${r.title} | ${r.permissions.map((p) => `\`${p}\``).join(', ')} |`,
    ),
    '',
  ];
  for (const r of RULES) {
    lines.push(
      `## \`${r.id}\` (${r.severity})`,
      '',
      `**${r.title}.** ${r.docs.what}`,
      '',
      `*Why it matters.* ${r.docs.why}`,
      '',
      `*How to fix.* ${r.docs.fix}`,
      '',
    );
    lines.push(
      `Cases: [src/rules/${r.id}/cases/](../src/rules/${r.id}/cases/). References: ${r.docs.references.map((u) => `<${u}>`).join(', ')}`,
      '',
    );
  }
  return lines.join('\n');
}

if (process.argv.includes('--write')) writeFileSync(join(import.meta.dirname, '..', 'docs', 'rules.md'), rulesDoc());
