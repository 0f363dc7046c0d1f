import { describe, expect, it } from 'vitest';
import { RegionProgress } from '../../src/sources/aws/progress';
import type { ProgressEvent } from '../../src/sources/aws/types';

describe('RegionProgress', () => {
  it('sends phase changes always and key counts at most once per interval', () => {
    let now = 0;
    const events: ProgressEvent[] = [];
    const progress = new RegionProgress(
      '111122223333',
      'eu-west-1',
      (e) => events.push(e),
      250,
      () => now,
    );
    progress.listing();
    progress.collecting(4);
    now = 100;
    progress.keyDone(false);
    now = 300;
    progress.keyDone(true);
    progress.keyDone(false);
    now = 2000;
    progress.keyDone(false);
    progress.done();
    expect(events.map((e) => [e.phase, e.keysDone, e.keysTotal, e.errors])).toEqual([
      ['listing', 0, undefined, 0],
      ['collecting', 0, 4, 0],
      ['collecting', 2, 4, 1],
      ['collecting', 4, 4, 1],
      ['done', 4, 4, 1],
    ]);
    expect(events.at(-1)?.rate).toBe(2);
  });

  it('carries the reason of a failed region, and survives a throwing callback', () => {
    const events: ProgressEvent[] = [];
    new RegionProgress('1', 'me-south-1', (e) => events.push(e)).failed('could not list keys');
    expect(events[0]).toEqual(expect.objectContaining({ phase: 'failed', message: 'could not list keys' }));
    const broken = new RegionProgress('1', 'eu-west-1', () => {
      throw new Error('display broke');
    });
    expect(() => broken.done()).not.toThrow();
  });
});
