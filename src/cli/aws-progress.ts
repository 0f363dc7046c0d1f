/**
 * Progress of `scan --aws`: live lines per account-region on a terminal (a small ANSI redraw), plain periodic
 * lines otherwise (CI logs), nothing with --quiet. Finished regions fold into one summary line; failed ones stay.
 */
import type { ProgressEvent } from '../sources/aws';

export interface AwsProgressOptions {
  quiet?: boolean;
  isTTY?: boolean;
  stream: { write(text: string): unknown };
  /** Redraw interval on a terminal (default 100 ms); period of the plain lines otherwise (default 10 s). */
  intervalMs?: number;
}

export interface AwsProgress {
  onProgress: (event: ProgressEvent) => void;
  stop: () => void;
}

const keyOf = (e: ProgressEvent) => `${e.account} ${e.region}`;

export function describeProgress(e: ProgressEvent): string {
  const where = `${e.account} ${e.region.padEnd(14)}`;
  if (e.phase === 'failed') return `${where} failed: ${e.message ?? 'unknown error'}`;
  if (e.phase === 'listing') return `${where} listing keys`;
  const total = e.keysTotal === undefined ? '?' : String(e.keysTotal);
  const errors = e.errors === 1 ? '1 key with errors' : `${e.errors} keys with errors`;
  const state = e.phase === 'done' ? 'done' : 'collecting';
  return `${where} ${state.padEnd(10)} ${e.keysDone}/${total} keys, ${errors}, ${e.rate.toFixed(1)} keys/s`;
}

class Tally {
  readonly latest = new Map<string, ProgressEvent>();

  record(e: ProgressEvent): void {
    this.latest.set(keyOf(e), e);
  }

  active(): ProgressEvent[] {
    return [...this.latest.values()].filter((e) => e.phase === 'listing' || e.phase === 'collecting');
  }

  summary(): string {
    const all = [...this.latest.values()];
    const finished = all.filter((e) => e.phase === 'done' || e.phase === 'failed');
    const keys = all.reduce((n, e) => n + e.keysDone, 0);
    const errors = all.reduce((n, e) => n + e.errors, 0);
    const failed = all.filter((e) => e.phase === 'failed').length;
    return `${finished.length}/${all.length} account-regions finished${failed ? ` (${failed} failed)` : ''}, ${keys} keys read, ${errors} with errors`;
  }
}

function plainProgress(options: AwsProgressOptions): AwsProgress {
  const tally = new Tally();
  const write = (line: string) => options.stream.write(`${line}\n`);
  const timer = setInterval(() => {
    const active = tally.active();
    if (active.length === 0) return;
    for (const e of active) write(describeProgress(e));
    write(tally.summary());
  }, options.intervalMs ?? 10_000);
  timer.unref?.();
  return {
    onProgress: (e) => {
      tally.record(e);
      if (e.phase === 'done' || e.phase === 'failed') write(describeProgress(e));
    },
    stop: () => {
      clearInterval(timer);
      if (tally.latest.size > 0) write(tally.summary());
    },
  };
}

function terminalProgress(options: AwsProgressOptions): AwsProgress {
  const tally = new Tally();
  const permanent: string[] = [];
  let drawnLines = 0;
  let dirty = false;
  const draw = () => {
    if (!dirty) return;
    dirty = false;
    let out = drawnLines > 0 ? `\x1b[${drawnLines}A\r\x1b[J` : '';
    for (const line of permanent.splice(0)) out += `${line}\n`;
    const live = [...tally.active().map(describeProgress), tally.summary()];
    out += live.map((line) => `${line}\n`).join('');
    drawnLines = live.length;
    options.stream.write(out);
  };
  const timer = setInterval(draw, options.intervalMs ?? 100);
  timer.unref?.();
  return {
    onProgress: (e) => {
      tally.record(e);
      if (e.phase === 'failed') permanent.push(describeProgress(e));
      dirty = true;
    },
    stop: () => {
      clearInterval(timer);
      dirty = dirty || tally.latest.size > 0;
      draw();
    },
  };
}

export function createAwsProgress(options: AwsProgressOptions): AwsProgress {
  if (options.quiet) return { onProgress: () => {}, stop: () => {} };
  const progress = options.isTTY ? terminalProgress(options) : plainProgress(options);
  return {
    onProgress: (e) => {
      try {
        progress.onProgress(e);
      } catch {
        // A display problem must never stop a scan.
      }
    },
    stop: () => progress.stop(),
  };
}
