/**
 * Runs `keywarden trail ...` with the engine-backed judge, for trying the command and producing docs/trail.md's
 * examples before cli/main.ts registers it: `npx tsx test/trail/run-cli.ts trail exposures ./logs`.
 */
import { Command } from 'commander';
import { registerTrailCommands } from '../../src/cli/trail';
import { engineJudge } from '../../src/trail/detect/engine-judge';

const program = new Command('keywarden');
registerTrailCommands(program, { judgePolicy: engineJudge });
await program.parseAsync(process.argv);
