import { Command, Option } from 'commander';
import pc from 'picocolors';
import { scan } from '../app/scan';
import type { Gap } from '../kms/snapshot';
import { RULES } from '../rules/registry';
import { createFormatSink, FORMATS, type Format } from '../sinks/format';
import { readFiles } from '../sources/files';
import { openOutput, parseAccountList, parseFailOn, parseOrgList, UsageError } from './common';
import { VERSION } from './version';

export function describeGap(gap: Gap): string {
  const where = [gap.file, gap.account, gap.region, gap.key].filter(Boolean).join(' ');
  const at = gap.line ? `:${gap.line}${gap.column ? `:${gap.column}` : ''}` : '';
  const pointer = gap.pointer ? ` (at ${gap.pointer})` : '';
  return `${where}${at}: ${gap.reason}${pointer}`;
}

export function scanCommand(): Command {
  return new Command('scan')
    .description('Analyse KMS keys: snapshot files, bare key policies, or folders of them.')
    .argument('<paths...>', 'files or folders (keywarden.snapshot/v1 records, key policy JSON)')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...FORMATS]).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option(
      '--fail-on <severity>',
      'exit 1 when a finding is at or above this severity (critical, high, medium, low, info, none)',
      parseFailOn,
      'high',
    )
    .option(
      '--trusted-account <ids>',
      'accounts allowed to share keys (repeat or comma-separate)',
      parseAccountList,
      [],
    )
    .option('--trusted-org <ids>', 'AWS Organizations ids whose callers are trusted', parseOrgList, [])
    .option('--account <id>', 'owner account of bare key policy files')
    .option('--region <region>', 'region recorded for bare key policy files')
    .option('--no-color', 'no colors in the table')
    .option('-q, --quiet', 'no progress or skipped-file lines on stderr')
    .addHelpText(
      'after',
      `
Exit codes: 0 no finding at or above --fail-on; 1 a finding at or above it; 2 an input could not be read or the usage
is wrong (every other input is still analysed and reported).

Examples:
  keywarden scan examples/demo-account
  keywarden scan policy.json --account 111122223333 --format sarif --output keywarden.sarif
  keywarden scan snapshots/ --trusted-account 444455556666 --format json -o report.json`,
    )
    .action(async (paths: string[], opts) => {
      if (opts.account !== undefined && !/^\d{12}$/.test(opts.account))
        throw new UsageError(`--account: not a 12-digit AWS account id: ${opts.account}`);
      const out = openOutput(opts.output);
      const sink = createFormatSink(opts.format as Format, out.stream, {
        tool: { name: 'keywarden', version: VERSION },
        color: opts.color === false || out.isFile ? false : undefined,
        rules: RULES,
        sourceRoot: process.cwd(),
      });
      const result = await scan(
        readFiles(paths, {
          account: opts.account,
          region: opts.region,
          cwd: process.cwd(),
          now: () => new Date().toISOString(),
        }),
        [sink],
        {
          failOn: opts.failOn,
          trusted: { accounts: opts.trustedAccount, organizations: opts.trustedOrg, orgPaths: [] },
        },
      );
      await out.done();
      if (!opts.quiet) {
        for (const s of result.skipped) process.stderr.write(`${pc.dim(`skipped ${s.file}: ${s.reason}`)}\n`);
      }
      if (opts.format !== 'table' || out.isFile) {
        for (const g of result.gaps) process.stderr.write(`keywarden: ${describeGap(g)}\n`);
      }
      if (out.isFile && !opts.quiet) {
        const f = result.summary.findings;
        process.stderr.write(
          `keywarden: ${result.summary.keys} keys, ${f.critical} critical, ${f.high} high, ${f.medium} medium, ${f.low} low, ${f.info} info findings; report written to ${opts.output}\n`,
        );
      }
      process.exitCode = result.exitCode;
    });
}
