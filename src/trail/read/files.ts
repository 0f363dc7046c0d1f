/**
 * CloudTrail log files on disk: a folder (walked recursively) or one file. `.json.gz` as CloudTrail delivers them to
 * S3 (a `Records` array), plain `.json` (Records, an array, or one event), and one event per line (`.jsonl`,
 * `.ndjson`, or a `.json` that turns out to be JSON lines). Bad files and bad records are counted, never fatal.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { constants, gunzip } from 'node:zlib';
import {
  type CloudTrailEvent,
  isEventBridgeEnvelope,
  missingRequiredFields,
  parseCloudTrailEvent,
  unwrapRecord,
} from '../detect/event';
import { recordsOf } from '../detect/records';
import { type EventQuery, mayMatter } from '../detect/run';
import { inWindow } from '../detect/time';
import { ReadTally } from './report';
import type { TrailSource } from './source';

const gunzipAsync = promisify(gunzip);
/**
 * Output chunk sized for the whole file (JSON logs inflate ~10-20x): one round trip between zlib's thread and the
 * main thread instead of one per 16 KiB.
 */
const gunzipChunk = (compressed: number): number => Math.min(Math.max(compressed * 20, 65_536), 8 * 1024 * 1024);

const TRAIL_FILE = /\.(json|jsonl|ndjson)(\.gz)?$/i;

/** Whether a file name looks like a log file keywarden reads (digest files are not events and are skipped). */
export const isTrailFile = (path: string): boolean => TRAIL_FILE.test(path) && !/CloudTrail-Digest/.test(path);

export type FileList = { ok: true; files: string[] } | { ok: false; reason: string };

/** All log files under a path (sorted), or why the path cannot be read. */
export const listTrailFiles = async (path: string): Promise<FileList> => {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason:
        code === 'ENOENT'
          ? `${path} does not exist: give a folder or file of CloudTrail logs, s3://bucket/prefix, lookup:REGION or logs:GROUP`
          : `${path} cannot be read (${code ?? String(error)})`,
    };
  }
  if (info.isFile()) return { ok: true, files: [path] };
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && isTrailFile(full)) files.push(full);
    }
  };
  try {
    await walk(path);
  } catch (error) {
    return { ok: false, reason: `${path} cannot be listed (${(error as Error).message})` };
  }
  return { ok: true, files: files.sort() };
};

const isGzip = (buffer: Buffer): boolean => buffer.length >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;

/** Decompress; a truncated gzip is reported and what it holds up to the cut is still returned. */
const decompress = async (file: string, buffer: Buffer, tally: ReadTally): Promise<string> => {
  if (!isGzip(buffer)) return buffer.toString('utf8');
  try {
    return (await gunzipAsync(buffer, { chunkSize: gunzipChunk(buffer.length) })).toString('utf8');
  } catch (error) {
    const reason = (error as Error).message;
    tally.fileError(file, `gzip is damaged or truncated (${reason}): only what precedes the damage was read`);
    try {
      return (await gunzipAsync(buffer, { finishFlush: constants.Z_SYNC_FLUSH })).toString('utf8');
    } catch {
      return '';
    }
  }
};

/** The records of a file's text, trying the whole-document formats first and JSON lines second. */
export const recordsOfText = (file: string, text: string, tally: ReadTally): unknown[] => {
  const trimmed = text.trim();
  if (trimmed === '') {
    tally.fileError(file, 'the file is empty');
    return [];
  }
  let whole: unknown;
  let wholeError: string | undefined;
  try {
    whole = JSON.parse(trimmed);
  } catch (error) {
    wholeError = (error as Error).message;
  }
  if (wholeError === undefined) {
    const found = recordsOf(whole);
    if (found.ok) return found.records;
    tally.fileError(file, found.reason);
    return [];
  }
  const lines = trimmed.split('\n');
  if (lines.length < 2 || !lines.every((line) => line.trim() === '' || line.trimStart().startsWith('{'))) {
    tally.fileError(file, `not valid JSON (${wholeError})`);
    return [];
  }
  const records: unknown[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line));
    } catch {
      tally.invalidEvent(file, `line ${index + 1} is not valid JSON`);
    }
  });
  return records;
};

/**
 * Check every record for the fields all investigations need, then fully validate the records this query may use
 * and keep those in the window. Problems are counted per file.
 */
export const eventsOfRecords = (
  file: string,
  records: unknown[],
  query: EventQuery,
  tally: ReadTally,
): CloudTrailEvent[] => {
  const events: CloudTrailEvent[] = [];
  const relevant = mayMatter(query);
  for (const raw of records) {
    const record = unwrapRecord(raw);
    const missing = missingRequiredFields(record);
    if (missing) {
      tally.invalidEvent(
        file,
        isEventBridgeEnvelope(raw) && record === raw ? 'EventBridge event that is not a CloudTrail record' : missing,
      );
      continue;
    }
    if (!relevant(record as Record<string, unknown>)) continue;
    const parsed = parseCloudTrailEvent(record);
    if (!parsed.ok) {
      tally.invalidEvent(file, parsed.reason);
      continue;
    }
    if (inWindow(parsed.event.eventTime, query.window)) events.push(parsed.event);
  }
  tally.fileRead(file, records.length);
  return events;
};

export const readTrailFile = async (file: string, query: EventQuery, tally: ReadTally): Promise<CloudTrailEvent[]> => {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (error) {
    tally.fileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return [];
  }
  const text = await decompress(file, buffer, tally);
  return eventsOfRecords(file, recordsOfText(file, text, tally), query, tally);
};

/** Read files with a few in flight, so decompression (on libuv's pool) overlaps parsing (on the main thread). */
export async function* readFiles(
  files: string[],
  query: EventQuery,
  tally: ReadTally,
  concurrency = 4,
): AsyncGenerator<CloudTrailEvent[]> {
  const pending = new Map<number, Promise<{ index: number; events: CloudTrailEvent[] }>>();
  let next = 0;
  const start = () => {
    const index = next++;
    const file = files[index] as string;
    pending.set(
      index,
      readTrailFile(file, query, tally).then((events) => ({ index, events })),
    );
  };
  while (next < files.length && pending.size < concurrency) start();
  while (pending.size > 0) {
    const { index, events } = await Promise.race(pending.values());
    pending.delete(index);
    if (next < files.length) start();
    if (events.length > 0) yield events;
  }
}

/** A folder or file of CloudTrail logs. */
export const fileSource = (path: string, options: { concurrency?: number } = {}): TrailSource => {
  const tally = new ReadTally();
  let listing: Promise<FileList> | undefined;
  let reads = 0;
  return {
    description: path,
    async *read(query: EventQuery) {
      // Only the first pass is tallied: investigations that read twice must not count problems twice.
      const passTally = reads++ === 0 ? tally : new ReadTally();
      listing ??= listTrailFiles(path);
      const list = await listing;
      if (!list.ok) {
        passTally.fileError(path, list.reason);
        return;
      }
      if (list.files.length === 0) {
        passTally.fileError(path, 'no CloudTrail log files (*.json, *.json.gz, *.jsonl) found here');
        return;
      }
      yield* readFiles(list.files, query, passTally, options.concurrency);
    },
    report: () => tally.report(),
  };
};
