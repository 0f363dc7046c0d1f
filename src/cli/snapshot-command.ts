import { Command } from 'commander';
import { writeSnapshotFile } from '../sinks/snapshot-files';
import { openStore } from './store-option';

export function snapshotCommand(): Command {
  const snapshot = new Command('snapshot').description('Work with stored key snapshots.');
  snapshot
    .command('export')
    .description(
      'Write the latest stored snapshot of every key as keywarden.snapshot/v1 files, to share or replay a live scan.',
    )
    .argument('<dir>', 'folder to write (created when missing)')
    .option('--db <path>', 'state store (SQLite) path; default $KEYWARDEN_DB or ~/.keywarden/keywarden.db')
    .addHelpText(
      'after',
      '\nExample:\n  keywarden scan --aws --region eu-west-1 && keywarden snapshot export ./snapshots && keywarden scan ./snapshots',
    )
    .action(async (dir: string, opts) => {
      const store = openStore(opts.db);
      let count = 0;
      try {
        for await (const record of store.listLatestSnapshots()) {
          writeSnapshotFile(dir, record.keyArn, record.snapshot);
          count++;
        }
      } finally {
        await store.close();
      }
      process.stderr.write(`keywarden: ${count} snapshot${count === 1 ? '' : 's'} written to ${dir}\n`);
      if (count === 0)
        process.stderr.write('keywarden: the store holds no snapshots yet: run `keywarden scan --aws` first\n');
    });
  return snapshot;
}
