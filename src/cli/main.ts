import { Command } from 'commander';

const program = new Command('keywarden').description('Guards AWS KMS keys and the credentials around them.');
await program.parseAsync(process.argv);
