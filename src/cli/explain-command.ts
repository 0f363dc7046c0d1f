import { Command, Option } from 'commander';
import { explainAccess } from '../kms/explain';
import { isGap, isSkipped } from '../kms/snapshot';
import { analyseKey } from '../rules/engine';
import { readFiles } from '../sources/files';
import { parseAccountList, parseOrgList, UsageError } from './common';
import { explainTemplate } from './iac-options';
import { describeGap } from './scan-command';

export function explainCommand(): Command {
  return new Command('explain')
    .description('Tell in plain language who can use, administer, grant and change a key, and why.')
    .argument('<file>', 'a keywarden.snapshot/v1 file or a key policy JSON file')
    .option('--account <id>', 'owner account of a bare key policy')
    .option('--trusted-account <ids>', 'accounts allowed to share keys', parseAccountList, [])
    .option('--trusted-org <ids>', 'trusted AWS Organizations ids', parseOrgList, [])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExample:\n  keywarden explain examples/demo-account/console-default.json')
    .action(async (file: string, opts) => {
      const templateExit = await explainTemplate(file, opts);
      if (templateExit !== undefined) {
        process.exitCode = templateExit;
        return;
      }
      let explained = 0;
      let failed = false;
      for await (const item of readFiles([file], {
        account: opts.account,
        cwd: process.cwd(),
        now: () => new Date().toISOString(),
      })) {
        if (isGap(item)) {
          process.stderr.write(`keywarden: ${describeGap(item)}\n`);
          failed = true;
          continue;
        }
        if (isSkipped(item)) throw new UsageError(`${item.file}: ${item.reason}`);
        const report = analyseKey(item, {
          trusted: { accounts: opts.trustedAccount, organizations: opts.trustedOrg, orgPaths: [] },
        });
        explained++;
        if (opts.format === 'json') {
          process.stdout.write(
            `${JSON.stringify({ key: item.arn, access: report.access, findings: report.findings }, null, 2)}\n`,
          );
          continue;
        }
        const lines = explainAccess(item, report.access);
        lines.push('', report.findings.length === 0 ? 'Findings: none.' : 'Findings:');
        for (const f of report.findings) lines.push(`  - [${f.severity}] ${f.rule}: ${f.title}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (explained === 0 && !failed) throw new UsageError(`${file}: nothing to explain`);
      process.exitCode = failed ? 2 : 0;
    });
}
