/**
 * CloudTrail logs in S3: only the objects the question needs are listed (account, region and day prefixes of
 * CloudTrail's layout: AWSLogs/[o-orgid/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/), fetched with the SDK into a local
 * cache (DuckDB's S3 extension cannot be installed offline) and then read like a local folder.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { TimeWindow } from '../detect/time';
import { awsErrorText } from './async';
import type { ReadTally } from './report';

export interface S3Selection {
  bucket: string;
  prefix: string;
  accounts?: string[];
  regions?: string[];
  window: TimeWindow;
}

const DAY_MS = 86_400_000;

/** The AWSLogs/ folder under a prefix (the prefix may already point into it). */
export const awsLogsPrefix = (prefix: string): string => {
  const clean = prefix.replace(/^\/+/, '');
  const at = clean.indexOf('AWSLogs/');
  if (at !== -1) return clean.slice(0, at + 'AWSLogs/'.length);
  if (clean.endsWith('AWSLogs')) return `${clean}/`;
  return clean === '' ? 'AWSLogs/' : `${clean.replace(/\/?$/, '/')}AWSLogs/`;
};

/** The day folders (YYYY/MM/DD/) a window needs, with a day of slack before (delivery can lag past midnight). */
export const dayFolders = (window: TimeWindow, now: number): string[] | undefined => {
  if (window.since === undefined) return undefined;
  const days: string[] = [];
  const last = window.until ?? now;
  for (let ms = window.since - DAY_MS; ms <= last + DAY_MS; ms += DAY_MS) {
    const d = new Date(ms).toISOString();
    days.push(`${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/`);
  }
  return [...new Set(days)];
};

export interface S3Object {
  key: string;
  size: number;
}

/** Every object under a prefix (all pages), or the sub-folders when a delimiter is given. */
const list = async (
  client: S3Client,
  bucket: string,
  prefix: string,
  delimiter?: string,
): Promise<{ objects: S3Object[]; folders: string[] }> => {
  const objects: S3Object[] = [];
  const folders: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ContinuationToken,
        ...(delimiter ? { Delimiter: delimiter } : {}),
      }),
    );
    for (const item of page.Contents ?? []) if (item.Key) objects.push({ key: item.Key, size: item.Size ?? 0 });
    for (const folder of page.CommonPrefixes ?? []) if (folder.Prefix) folders.push(folder.Prefix);
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return { objects, folders };
};

const lastSegment = (folder: string): string => folder.replace(/\/$/, '').split('/').pop() ?? '';

/** The account/region folders of a trail (AWSLogs/[o-orgid/]ACCOUNT/CloudTrail/REGION/), filtered by the selection. */
export const listRegionFolders = async (
  client: S3Client,
  selection: Pick<S3Selection, 'bucket' | 'prefix' | 'accounts' | 'regions'>,
): Promise<Array<{ account: string; region: string; folder: string }>> => {
  const root = awsLogsPrefix(selection.prefix);
  const accountFolders: string[] = [];
  for (const folder of (await list(client, selection.bucket, root, '/')).folders) {
    const name = lastSegment(folder);
    if (/^o-[a-z0-9]+$/.test(name)) accountFolders.push(...(await list(client, selection.bucket, folder, '/')).folders);
    else accountFolders.push(folder);
  }
  const found: Array<{ account: string; region: string; folder: string }> = [];
  for (const accountFolder of accountFolders) {
    const account = lastSegment(accountFolder);
    if (!/^\d{12}$/.test(account) || (selection.accounts?.length && !selection.accounts.includes(account))) continue;
    for (const regionFolder of (await list(client, selection.bucket, `${accountFolder}CloudTrail/`, '/')).folders) {
      const region = lastSegment(regionFolder);
      if (selection.regions?.length && !selection.regions.includes(region)) continue;
      found.push({ account, region, folder: regionFolder });
    }
  }
  return found;
};

/** The log objects a selection needs, listing only the prefixes it names. */
export const listTrailObjects = async (client: S3Client, selection: S3Selection, now: number): Promise<S3Object[]> => {
  const days = dayFolders(selection.window, now);
  const objects: S3Object[] = [];
  for (const { folder } of await listRegionFolders(client, selection)) {
    const prefixes = days ? days.map((d) => `${folder}${d}`) : [folder];
    for (const prefix of prefixes) {
      objects.push(...(await list(client, selection.bucket, prefix)).objects.filter((o) => o.key.endsWith('.json.gz')));
    }
  }
  return objects;
};

/** Download what is not cached yet (same key and size); returns the local paths of every selected object. */
export const syncTrailObjects = async (
  client: S3Client,
  selection: S3Selection,
  cacheDir: string,
  tally: ReadTally,
  now: number,
  concurrency = 8,
): Promise<string[]> => {
  const where = `s3://${selection.bucket}/${selection.prefix}`;
  let objects: S3Object[];
  try {
    objects = await listTrailObjects(client, selection, now);
  } catch (error) {
    tally.fileError(where, `cannot list the bucket (${awsErrorText(error)})`);
    return [];
  }
  if (objects.length === 0) {
    tally.fileError(where, 'no CloudTrail log objects (AWSLogs/ACCOUNT/CloudTrail/REGION/...json.gz) match');
    return [];
  }
  const local = (key: string) => join(cacheDir, 's3', selection.bucket, key);
  const queue = [...objects];
  const paths: string[] = [];
  const worker = async () => {
    for (let object = queue.shift(); object; object = queue.shift()) {
      const path = local(object.key);
      try {
        const cached = await stat(path).catch(() => undefined);
        if (!cached || cached.size !== object.size) {
          await mkdir(dirname(path), { recursive: true });
          const response = await client.send(new GetObjectCommand({ Bucket: selection.bucket, Key: object.key }));
          const partial = `${path}.part`;
          await pipeline(response.Body as Readable, createWriteStream(partial));
          await rename(partial, path);
        }
        paths.push(path);
      } catch (error) {
        tally.fileError(`s3://${selection.bucket}/${object.key}`, `cannot be fetched (${awsErrorText(error)})`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, objects.length) }, worker));
  return paths.sort();
};
