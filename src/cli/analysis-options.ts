/** The engine options of a command: keywarden.yaml (--config FILE, else ./keywarden.yaml), then the trust flags. */
import { withTrustFlags } from '../config';
import type { AnalysisOptions } from '../rules/engine';
import { UsageError } from './common';
import { loadConfigForCli } from './config-command';

export function analysisOptionsFor(opts: {
  config?: string;
  trustedAccount?: string[];
  trustedOrg?: string[];
  quiet?: boolean;
}): AnalysisOptions {
  const loaded = loadConfigForCli(opts.config, process.cwd());
  if (!loaded.ok) throw new UsageError(`invalid configuration:\n${loaded.message}`);
  if (!opts.quiet) for (const w of loaded.warnings) process.stderr.write(`keywarden: ${w}\n`);
  return withTrustFlags(loaded.options, { accounts: opts.trustedAccount, organizations: opts.trustedOrg });
}
