import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAwsProgress, describeProgress } from '../../src/cli/aws-progress';
import type { ProgressEvent } from '../../src/sources/aws';

const event = (region: string, phase: ProgressEvent['phase'], keysDone: number, extra: Partial<ProgressEvent> = {}) =>
  ({ account: '111122223333', region, phase, keysDone, keysTotal: 10, errors: 0, rate: 5, ...extra }) as ProgressEvent;

function sink() {
  const writes: string[] = [];
  return { writes, stream: { write: (text: string) => writes.push(text) } };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createAwsProgress', () => {
  it('writes nothing with --quiet', () => {
    const { writes, stream } = sink();
    const progress = createAwsProgress({ quiet: true, isTTY: true, stream });
    progress.onProgress(event('eu-west-1', 'done', 10));
    vi.advanceTimersByTime(60_000);
    progress.stop();
    expect(writes).toEqual([]);
  });

  it('off a terminal: a line per finished region, periodic lines for the active ones, a summary at the end', () => {
    const { writes, stream } = sink();
    const progress = createAwsProgress({ isTTY: false, stream, intervalMs: 10_000 });
    progress.onProgress(event('eu-west-1', 'collecting', 3));
    progress.onProgress(event('us-east-1', 'failed', 0, { message: 'could not list keys (kms:ListKeys)' }));
    expect(writes).toEqual(['111122223333 us-east-1      failed: could not list keys (kms:ListKeys)\n']);
    vi.advanceTimersByTime(10_000);
    expect(writes.slice(1)).toEqual([
      '111122223333 eu-west-1      collecting 3/10 keys, 0 keys with errors, 5.0 keys/s\n',
      '1/2 account-regions finished (1 failed), 3 keys read, 0 with errors\n',
    ]);
    progress.onProgress(event('eu-west-1', 'done', 10, { errors: 1 }));
    progress.stop();
    expect(writes.slice(3)).toEqual([
      '111122223333 eu-west-1      done       10/10 keys, 1 key with errors, 5.0 keys/s\n',
      '2/2 account-regions finished (1 failed), 10 keys read, 1 with errors\n',
    ]);
    expect(writes.join('')).not.toContain('\x1b[');
  });

  it('on a terminal: redraws the live lines in place and keeps failed regions above them', () => {
    const { writes, stream } = sink();
    const progress = createAwsProgress({ isTTY: true, stream, intervalMs: 100 });
    progress.onProgress(event('eu-west-1', 'collecting', 3));
    vi.advanceTimersByTime(100);
    expect(writes).toEqual([
      '111122223333 eu-west-1      collecting 3/10 keys, 0 keys with errors, 5.0 keys/s\n0/1 account-regions finished, 3 keys read, 0 with errors\n',
    ]);
    progress.onProgress(event('me-south-1', 'failed', 0, { message: 'region not enabled' }));
    progress.onProgress(event('eu-west-1', 'done', 10));
    vi.advanceTimersByTime(100);
    expect(writes[1]).toBe(
      '\x1b[2A\r\x1b[J111122223333 me-south-1     failed: region not enabled\n2/2 account-regions finished (1 failed), 10 keys read, 0 with errors\n',
    );
    vi.advanceTimersByTime(1000);
    expect(writes).toHaveLength(2); // nothing changed, nothing redrawn
    progress.stop();
  });

  it('describes a listing region', () => {
    expect(describeProgress(event('eu-west-1', 'listing', 0, { keysTotal: undefined }))).toBe(
      '111122223333 eu-west-1      listing keys',
    );
  });
});
