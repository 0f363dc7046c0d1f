/**
 * `keywarden config validate [FILE]` and `keywarden config schema`, and `loadConfigForCli`: how every command finds
 * keywarden.yaml (`--config FILE`, else ./keywarden.yaml, else the defaults).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { Command } from 'commander';
import {
  CONFIG_FILE_NAME,
  type ConfigError,
  configJsonSchemaText,
  configWarnings,
  type KeywardenConfig,
  parseConfigText,
  toAnalysisOptions,
} from '../config';
import type { AnalysisOptions } from '../rules/engine';

export type CliConfig =
  | {
      ok: true;
      options: AnalysisOptions;
      config: KeywardenConfig;
      /** The file read, or undefined when none was given and ./keywarden.yaml does not exist. */
      file?: string;
      /** Worth telling the user: expired suppressions. */
      warnings: string[];
    }
  | {
      ok: false;
      file: string;
      errors: ConfigError[];
      /** Every error, one per line: `keywarden.yaml:12:5: suppressions[0].owner: missing: ...`. */
      message: string;
    };

/** `file:line:column: path: message` lines. */
export function formatConfigErrors(file: string, errors: readonly ConfigError[]): string {
  return errors
    .map((e) => {
      const at = e.line !== undefined ? `:${e.line}${e.column !== undefined ? `:${e.column}` : ''}` : '';
      return `${file}${at}: ${e.path ? `${e.path}: ` : ''}${e.message}`;
    })
    .join('\n');
}

const shown = (file: string, cwd: string): string => {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
};

/**
 * Finds and reads keywarden.yaml: `path` (from --config) relative to `cwd`, else `cwd`/keywarden.yaml when it
 * exists, else the defaults. Returns the engine options, or every error with its line and path.
 */
export function loadConfigForCli(path: string | undefined, cwd: string, now: () => Date = () => new Date()): CliConfig {
  const file = path !== undefined ? (isAbsolute(path) ? path : join(cwd, path)) : join(cwd, CONFIG_FILE_NAME);
  const name = path ?? shown(file, cwd);
  let text: string | undefined;
  if (path !== undefined || existsSync(file)) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      const errors = [{ message: `cannot read the configuration file (${reason}): check the --config path`, path: '' }];
      return { ok: false, file: name, errors, message: formatConfigErrors(name, errors) };
    }
  }
  const parsed = parseConfigText(text ?? '');
  if (!parsed.ok)
    return { ok: false, file: name, errors: parsed.errors, message: formatConfigErrors(name, parsed.errors) };
  const at = now();
  return {
    ok: true,
    options: toAnalysisOptions(parsed.config, at),
    config: parsed.config,
    ...(text !== undefined ? { file: name } : {}),
    warnings: configWarnings(parsed.config, at).map((w) => `${name}: ${w}`),
  };
}

function summary(config: KeywardenConfig): string {
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const trusted = config.trusted;
  return [
    count(
      (trusted?.accounts.length ?? 0) + (trusted?.organizations.length ?? 0) + (trusted?.orgPaths.length ?? 0),
      'trusted party',
      'trusted parties',
    ),
    count(config.exemptions.length, 'exemption'),
    count(config.administrators.length, 'administrator entry', 'administrator entries'),
    count(config.keyUsers.length, 'key-user entry', 'key-user entries'),
    count(Object.keys(config.rules ?? {}).length, 'rule setting'),
    count(config.suppressions.length, 'suppression'),
  ].join(', ');
}

export function configCommand(): Command {
  const command = new Command('config').description('Help writing keywarden.yaml: validate it, print its JSON Schema.');
  const validate = command
    .command('validate')
    .description('Check keywarden.yaml and print every problem with its line and path (exit 2 when invalid).')
    .argument('[file]', `the configuration file (default: ./${CONFIG_FILE_NAME})`)
    .action((file: string | undefined) => {
      const cwd = process.cwd();
      if (file === undefined && !existsSync(join(cwd, CONFIG_FILE_NAME))) {
        process.stderr.write(`keywarden: no ${CONFIG_FILE_NAME} here; pass the file: keywarden config validate FILE\n`);
        process.exitCode = 2;
        return;
      }
      const loaded = loadConfigForCli(file, cwd);
      if (!loaded.ok) {
        process.stderr.write(`${loaded.message}\n`);
        process.stderr.write(
          `keywarden: ${loaded.file} is not valid (${loaded.errors.length} problem${loaded.errors.length === 1 ? '' : 's'})\n`,
        );
        process.exitCode = 2;
        return;
      }
      for (const warning of loaded.warnings) process.stderr.write(`warning: ${warning}\n`);
      process.stdout.write(`${loaded.file}: valid (${summary(loaded.config)})\n`);
    });
  const schema = command
    .command('schema')
    .description('Print the JSON Schema of keywarden.yaml (for editor completion).')
    .option('-o, --output <file>', 'write it to a file instead of stdout')
    .addHelpText(
      'after',
      `\nIn VS Code (YAML extension), the first line of keywarden.yaml can point at it:\n  # yaml-language-server: $schema=./keywarden-config.schema.json`,
    )
    .action((opts: { output?: string }) => {
      if (opts.output) writeFileSync(opts.output, configJsonSchemaText());
      else process.stdout.write(configJsonSchemaText());
    });
  // Usage errors reach the CLI's handler (exit 2) instead of exiting here.
  for (const sub of [validate, schema]) sub.exitOverride();
  return command;
}
