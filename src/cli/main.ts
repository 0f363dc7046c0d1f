import { Command, CommanderError } from 'commander';
import { engineJudge } from '../trail/detect/engine-judge';
import { UsageError } from './common';
import { configCommand } from './config-command';
import { explainCommand } from './explain-command';
import { respondCommand } from './respond-command';
import { scanCommand } from './scan-command';
import { snapshotCommand } from './snapshot-command';
import { registerTrailCommands } from './trail';
import { VERSION } from './version';
import { fixCommand, watchCommand } from './watch-command';

const program = new Command('keywarden')
  .description('Guards AWS KMS keys and the credentials around them: who can do what with each key, and why.')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .addCommand(scanCommand())
  .addCommand(explainCommand())
  .addCommand(snapshotCommand())
  .addCommand(watchCommand())
  .addCommand(fixCommand())
  .addCommand(respondCommand())
  .addCommand(configCommand());

registerTrailCommands(program, { judgePolicy: engineJudge });

const overrideExits = (command: Command): void => {
  command.exitOverride();
  for (const sub of command.commands) overrideExits(sub);
};
overrideExits(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; every usage error exits 2 (commander already printed it).
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof UsageError) {
    process.stderr.write(`keywarden: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`keywarden: unexpected error: ${(error as Error).message ?? String(error)}\n`);
    if (process.env.KEYWARDEN_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = 2;
  }
}
