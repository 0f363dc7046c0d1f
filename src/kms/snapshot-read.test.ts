import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDate, readSnapshotRecord } from './snapshot-read';

/** The definition isoDate must keep: Date parsing and printing (it now computes the usual cases by arithmetic). */
function byDate(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000).toISOString();
  if (typeof value === 'string' && value !== '') {
    if (/^\d+(\.\d+)?$/.test(value)) return new Date(Number(value) * 1000).toISOString();
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : new Date(t).toISOString();
  }
  return undefined;
}

const outcome = (f: (v: unknown) => string | undefined, v: unknown) => {
  try {
    return f(v);
  } catch (e) {
    return `throws ${(e as Error).name}`;
  }
};

const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('isoDate', () => {
  it('prints epoch seconds (numbers and digit strings) as Date does', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 0, max: 253_402_300_799 }),
          fc.double({ min: -1e13, max: 1e13, noNaN: true }),
          fc.constantFrom(0, -0, 0.0004, -0.0004, 253_402_300_799.999, 253_402_300_800, 8.64e12, 8.64e12 + 1),
        ),
        (seconds) => {
          expect(outcome(isoDate, seconds)).toBe(outcome(byDate, seconds));
          const text = String(Math.abs(seconds));
          if (/^\d+(\.\d+)?$/.test(text)) expect(outcome(isoDate, text)).toBe(outcome(byDate, text));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('reads ISO strings as Date.parse does, invalid days and hours included', () => {
    const field = (max: number, width: number) => fc.integer({ min: 0, max }).map((n) => pad(n, width));
    fc.assert(
      fc.property(
        field(9999, 4),
        field(13, 2),
        field(32, 2),
        field(25, 2),
        field(60, 2),
        field(61, 2),
        fc.option(field(999, 3)),
        (y, mo, d, h, mi, s, ms) => {
          const text = `${y}-${mo}-${d}T${h}:${mi}:${s}${ms === null ? '' : `.${ms}`}Z`;
          expect(outcome(isoDate, text)).toBe(outcome(byDate, text));
        },
      ),
      { numRuns: 20_000 },
    );
    for (const text of [
      '2024-02-29T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2100-02-29T00:00:00Z',
      '2000-02-29T00:00:00Z',
      '2024-05-01T24:00:00Z',
      '2024-05-01T12:00:00.5Z',
      '2024-05-01T12:00:00.123456Z',
      '2024-05-01T12:00:00+02:00',
      '2024-05-01',
      'yesterday',
      ' 1714000000',
      '1e5',
    ])
      expect(isoDate(text)).toBe(byDate(text));
  });
});

describe('readSnapshotRecord copies', () => {
  it('keeps an own "__proto__" key of KeyMetadata as an own key, as a spread copy does', () => {
    const raw = JSON.parse(
      '{"format":"keywarden.snapshot/v1","account":"111122223333","region":"eu-west-1","DescribeKey":{"KeyMetadata":{"KeyId":"k","Arn":"arn:aws:kms:eu-west-1:111122223333:key/k","__proto__":{"x":1},"CreationDate":1714000000}}}',
    );
    const { snapshot } = readSnapshotRecord(raw, { kind: 'file' });
    expect(snapshot.metadata.ok).toBe(true);
    const metadata = (snapshot.metadata as unknown as { value: Record<string, unknown> }).value;
    expect(Object.keys(metadata)).toEqual(['KeyId', 'Arn', '__proto__', 'CreationDate', 'DeletionDate']);
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(metadata.CreationDate).toBe('2024-04-24T23:06:40.000Z');
  });
});
