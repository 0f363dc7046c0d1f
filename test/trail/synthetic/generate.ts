/**
 * A synthetic 24-hour CloudTrail trail across 3 accounts and 2 regions, written as CloudTrail delivers it to S3
 * (AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/*.json.gz, one file per account, region and 5 minutes), with
 * planted incidents: a public PutKeyPolicy reverted a minute later (through credentials minted from a leaked key),
 * an outsider decrypting, and a mass ScheduleKeyDeletion. Seedable, streamed to disk (1 million events fit in memory
 * one file at a time), and cached: generated once into a folder and reused.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type CallContext, getCallerIdentity, kmsCall, roleSession, USER_AGENTS } from './events';
import { iso, type Special, specials } from './planted';
import { buildWorld, keyIdSuffix, type Planted, pick, prng, type Random, REGIONS } from './world';

type Json = Record<string, unknown>;

export interface SyntheticOptions {
  /** Total events (background + planted). */
  events: number;
  seed?: number;
  /** Output folder; default: a cache folder under test/.cache. */
  dir?: string;
  /** Gzip level (1 is fast, 6 is CloudTrail-like). */
  gzipLevel?: number;
}

export interface SyntheticTrail {
  /** The folder of the trail (cache root): holds manifest.json and AWSLogs/. */
  root: string;
  /** The log files: `root`/AWSLogs, laid out as CloudTrail writes to S3. */
  dir: string;
  events: number;
  files: number;
  start: string;
  end: string;
  seed: number;
  planted: Planted;
}

const VERSION = 1;
const START = Date.parse('2024-06-01T00:00:00Z');
const BUCKET_MS = 5 * 60_000;
const BUCKETS = 288;

export const cacheDir = (events: number, seed: number): string =>
  join(import.meta.dirname, `../../.cache/trail-${events}-s${seed}-v${VERSION}`);

const CRYPTO = [
  'Decrypt',
  'Decrypt',
  'Decrypt',
  'Decrypt',
  'GenerateDataKey',
  'GenerateDataKey',
  'GenerateDataKey',
  'Encrypt',
];

const background = (
  random: Random,
  account: ReturnType<typeof buildWorld>['accounts'][0],
  region: string,
  time: number,
  sessions: ReturnType<typeof roleSession>[],
): Json => {
  const roll = random();
  const context: CallContext = {
    random,
    time: iso(time),
    identity: pick(random, sessions),
    region,
    sourceIP: `10.0.${Math.floor(random() * 4)}.${10 + Math.floor(random() * 200)}`,
    userAgent: pick(random, USER_AGENTS),
  };
  const key = pick(random, account.keys[region] ?? []);
  if (roll < 0.8) {
    const record = kmsCall(pick(random, CRYPTO), key, context);
    if (random() < 0.005) {
      record.errorCode = 'AccessDeniedException';
      record.errorMessage = 'User is not authorized to perform this operation';
    }
    return record;
  }
  if (roll < 0.92) return kmsCall('DescribeKey', key, context);
  return getCallerIdentity(context);
};

const fileName = (account: string, region: string, bucket: number, random: Random): string => {
  const ms = START + bucket * BUCKET_MS;
  const d = new Date(ms).toISOString();
  const stamp = `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}T${d.slice(11, 13)}${d.slice(14, 16)}Z`;
  return join(
    account,
    'CloudTrail',
    region,
    d.slice(0, 4),
    d.slice(5, 7),
    d.slice(8, 10),
    `${account}_CloudTrail_${region}_${stamp}_${keyIdSuffix(random)}.json.gz`,
  );
};

export const generateTrail = (options: SyntheticOptions & { dir: string }): SyntheticTrail => {
  const seed = options.seed ?? 42;
  const random = prng(seed);
  const world = buildWorld(seed);
  const { list, planted } = specials(random, world);
  const byFile = new Map<string, Special[]>();
  for (const special of list) {
    const bucket = Math.floor((special.time - START) / BUCKET_MS);
    const id = `${special.account}|${special.region}|${bucket}`;
    byFile.set(id, [...(byFile.get(id) ?? []), special]);
  }
  const sessions = new Map(
    world.accounts.map((account) => [
      account.id,
      account.roles.flatMap((role) =>
        [1, 2, 3].map((n) =>
          roleSession(role, `${role.slice(role.lastIndexOf('/') + 1)}-${n}`, `ASIA${keyIdSuffix(random)}`, iso(START)),
        ),
      ),
    ]),
  );
  const fileCount = world.accounts.length * REGIONS.length * BUCKETS;
  const backgroundTotal = Math.max(0, options.events - list.length);
  const perFile = Math.floor(backgroundTotal / fileCount);
  let remainder = backgroundTotal - perFile * fileCount;
  rmSync(options.dir, { recursive: true, force: true });
  let written = 0;
  for (let bucket = 0; bucket < BUCKETS; bucket++) {
    for (const account of world.accounts) {
      for (const region of REGIONS) {
        const count = perFile + (remainder > 0 ? 1 : 0);
        if (remainder > 0) remainder--;
        const records: Json[] = [];
        for (let i = 0; i < count; i++) {
          const time = START + bucket * BUCKET_MS + Math.floor(random() * BUCKET_MS);
          records.push(background(random, account, region, time, sessions.get(account.id) ?? []));
        }
        for (const special of byFile.get(`${account.id}|${region}|${bucket}`) ?? []) {
          records.splice(Math.floor(random() * (records.length + 1)), 0, special.record);
        }
        if (records.length === 0) continue;
        const path = join(options.dir, 'AWSLogs', fileName(account.id, region, bucket, random));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, gzipSync(JSON.stringify({ Records: records }), { level: options.gzipLevel ?? 6 }));
        written += records.length;
      }
    }
  }
  const trail: SyntheticTrail = {
    root: options.dir,
    dir: join(options.dir, 'AWSLogs'),
    events: written,
    files: fileCount,
    start: iso(START),
    end: iso(START + BUCKETS * BUCKET_MS),
    seed,
    planted,
  };
  writeFileSync(join(options.dir, 'manifest.json'), `${JSON.stringify(trail, null, 2)}\n`);
  return trail;
};

/** The trail for these options, generated on first use and reused from its folder afterwards. */
export const syntheticTrail = (options: SyntheticOptions): SyntheticTrail => {
  const seed = options.seed ?? 42;
  const dir = options.dir ?? cacheDir(options.events, seed);
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')) as SyntheticTrail;
  return generateTrail({ ...options, seed, dir });
};
