/** Shared CLI plumbing: usage errors, list options, output streams. */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { InvalidArgumentError } from 'commander';
import type { FailOn } from '../app/scan';
import { SEVERITIES } from '../findings/types';

export class UsageError extends Error {}

/** Repeatable and comma-separated list options: `--trusted-account 1,2 --trusted-account 3`. */
export const collectList = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== ''),
];

export function parseAccountList(value: string, previous: string[] = []): string[] {
  const list = collectList(value, previous);
  const bad = list.filter((a) => !/^\d{12}$/.test(a));
  if (bad.length) throw new InvalidArgumentError(`not a 12-digit AWS account id: ${bad.join(', ')}`);
  return list;
}

export function parseOrgList(value: string, previous: string[] = []): string[] {
  const list = collectList(value, previous);
  const bad = list.filter((o) => !/^o-[a-z0-9]{10,32}$/.test(o));
  if (bad.length) throw new InvalidArgumentError(`not an AWS Organizations id (o-...): ${bad.join(', ')}`);
  return list;
}

export function parseFailOn(value: string): FailOn {
  if (value === 'none' || (SEVERITIES as readonly string[]).includes(value)) return value as FailOn;
  throw new InvalidArgumentError(`use one of ${[...SEVERITIES, 'none'].join(', ')}`);
}

/** stdout, or a file for --output (closed by the returned function). */
export function openOutput(path: string | undefined): { stream: Writable; done: () => Promise<void>; isFile: boolean } {
  if (!path) return { stream: process.stdout, done: async () => {}, isFile: false };
  const stream = createWriteStream(path);
  return {
    stream,
    isFile: true,
    done: () =>
      new Promise((resolve, reject) => {
        stream.on('error', reject);
        stream.end(() => resolve());
      }),
  };
}
