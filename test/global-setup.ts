import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Tests that run the CLI run the real bundle: build it once, from the current sources. */
export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'build.mjs')], {
    stdio: 'inherit',
    env: { ...process.env, KEYWARDEN_BUILD_QUIET: '1' },
  });
}
