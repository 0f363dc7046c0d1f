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
import {
  assumeRole,
  type CallContext,
  createGrant,
  defaultPolicy,
  getCallerIdentity,
  iamUser,
  kmsCall,
  otherAccount,
  putKeyPolicy,
  revokeGrant,
  roleSession,
  USER_AGENTS,
} from './events';
import { buildWorld, keyIdSuffix, type Planted, pick, prng, type Random, REGIONS, uuid } from './world';

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

const iso = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const at = (hhmmss: string): number => Date.parse(`2024-06-01T${hhmmss}Z`);

export const cacheDir = (events: number, seed: number): string =>
  join(import.meta.dirname, `../../.cache/trail-${events}-s${seed}-v${VERSION}`);

interface Special {
  account: string;
  region: string;
  time: number;
  record: Json;
}

const specials = (random: Random, world: ReturnType<typeof buildWorld>): { list: Special[]; planted: Planted } => {
  const [prod, dev, data] = world.accounts as [
    (typeof world.accounts)[0],
    (typeof world.accounts)[0],
    (typeof world.accounts)[0],
  ];
  const list: Special[] = [];
  const ctx = (
    time: number,
    identity: CallContext['identity'],
    region: string,
    sourceIP: string,
    userAgent: string,
  ) => ({
    random,
    time: iso(time),
    identity,
    region,
    sourceIP,
    userAgent,
  });
  const add = (account: string, region: string, time: number, record: Json) =>
    list.push({ account, region, time, record });
  const sdk = USER_AGENTS[1] as string;
  const cli = USER_AGENTS[2] as string;

  // 1. A leaked key mints role credentials, makes a key public, and reverts a minute later.
  const publicKey = prod.keys['us-east-1']?.[0] as string;
  const attackerRole = `arn:aws:iam::${prod.id}:role/DevOpsRole`;
  const attackerIP = '203.0.113.66';
  const bot = iamUser(prod.id, 'build-bot', world.users.buildBot);
  const assumed = assumeRole(attackerRole, 'build-bot', ctx(at('10:14:00'), bot, 'us-east-1', attackerIP, sdk));
  add(prod.id, 'us-east-1', at('10:14:00'), assumed.record);
  const session = roleSession(attackerRole, 'build-bot', assumed.minted, iso(at('10:14:00')));
  const publicPolicy = defaultPolicy(prod.id);
  (publicPolicy.Statement as Json[]).push({
    Sid: 'AllowDecryptForAnyone',
    Effect: 'Allow',
    Principal: { AWS: '*' },
    Action: ['kms:Decrypt', 'kms:DescribeKey'],
    Resource: '*',
  });
  add(
    prod.id,
    'us-east-1',
    at('10:15:00'),
    putKeyPolicy(publicKey, publicPolicy, ctx(at('10:15:00'), session, 'us-east-1', attackerIP, sdk)),
  );
  add(
    prod.id,
    'us-east-1',
    at('10:16:00'),
    putKeyPolicy(publicKey, defaultPolicy(prod.id), ctx(at('10:16:00'), session, 'us-east-1', attackerIP, sdk)),
  );

  // 2. An outsider decrypts with the key (recorded in the key owner's trail as an AWSAccount caller).
  const outsider = otherAccount(world.outsiderAccount, 'AROAEXFILTRATIONROLE:x');
  const outsiderCalls = 6;
  for (let i = 0; i < outsiderCalls; i++) {
    const time = at('10:20:00') + i * 90_000;
    const record = kmsCall('Decrypt', publicKey, ctx(time, outsider, 'us-east-1', '198.51.100.7', sdk));
    record.sharedEventID = uuid(random);
    add(prod.id, 'us-east-1', time, record);
  }

  // 3. One role schedules five keys for deletion in five minutes.
  const ransomRole = `arn:aws:iam::${data.id}:role/cleanup`;
  const ransomSession = roleSession(ransomRole, 'cleanup-job', `ASIA${keyIdSuffix(random)}`, iso(at('13:59:00')));
  const ransomKeys = [...(data.keys['us-east-1'] ?? []), data.keys['eu-west-1']?.[0] as string];
  ransomKeys.forEach((key, i) => {
    const region = key.split(':')[3] as string;
    const time = at('14:00:00') + i * 60_000;
    add(
      data.id,
      region,
      time,
      kmsCall('ScheduleKeyDeletion', key, ctx(time, ransomSession, region, '198.51.100.23', sdk)),
    );
  });

  // Ordinary administration that must not be flagged.
  const admin = (account: string) => iamUser(account, 'admin', world.users.admin[account] as string);
  const adminIP = '192.0.2.10';
  const devKey = (region: string, index: number) => dev.keys[region]?.[index] as string;
  add(
    dev.id,
    'us-east-1',
    at('09:00:00'),
    putKeyPolicy(
      devKey('us-east-1', 1),
      defaultPolicy(dev.id),
      ctx(at('09:00:00'), admin(dev.id), 'us-east-1', adminIP, cli),
    ),
  );
  const grantId = `${uuid(random).replace(/-/g, '')}${uuid(random).replace(/-/g, '')}`;
  const grantKey = data.keys['eu-west-1']?.[2] as string;
  add(
    data.id,
    'eu-west-1',
    at('11:00:00'),
    createGrant(
      grantKey,
      `arn:aws:iam::${data.id}:role/app-worker`,
      grantId,
      ctx(at('11:00:00'), admin(data.id), 'eu-west-1', adminIP, cli),
    ),
  );
  add(
    data.id,
    'eu-west-1',
    at('12:00:00'),
    revokeGrant(grantKey, grantId, ctx(at('12:00:00'), admin(data.id), 'eu-west-1', adminIP, cli)),
  );
  add(
    dev.id,
    'eu-west-1',
    at('03:00:00'),
    kmsCall(
      'ScheduleKeyDeletion',
      devKey('eu-west-1', 3),
      ctx(at('03:00:00'), admin(dev.id), 'eu-west-1', adminIP, cli),
    ),
  );
  add(
    dev.id,
    'us-east-1',
    at('05:00:00'),
    kmsCall('DisableKey', devKey('us-east-1', 3), ctx(at('05:00:00'), admin(dev.id), 'us-east-1', adminIP, cli)),
  );
  add(
    dev.id,
    'eu-west-1',
    at('16:00:00'),
    kmsCall('DisableKey', devKey('eu-west-1', 2), ctx(at('16:00:00'), admin(dev.id), 'eu-west-1', adminIP, cli)),
  );
  const worker = roleSession(
    `arn:aws:iam::${prod.id}:role/app-worker`,
    'app-worker-1',
    `ASIA${keyIdSuffix(random)}`,
    iso(at('17:00:00')),
  );
  [1, 2, 3].forEach((index, i) => {
    const time = at('18:00:00') + i * 30_000;
    const key = prod.keys['eu-west-1']?.[index] as string;
    add(
      prod.id,
      'eu-west-1',
      time,
      kmsCall('DisableKey', key, ctx(time, worker, 'eu-west-1', '10.0.1.15', sdk), {
        errorCode: 'AccessDeniedException',
        errorMessage: 'User is not authorized to perform: kms:DisableKey',
        responseElements: null,
      }),
    );
  });
  const bob = iamUser(prod.id, 'bob', world.users.bob);
  const quietKey = prod.keys['us-east-1']?.[2] as string;
  add(
    prod.id,
    'us-east-1',
    at('08:00:00'),
    getCallerIdentity(ctx(at('08:00:00'), bob, 'us-east-1', '192.0.2.44', cli)),
  );
  add(
    prod.id,
    'us-east-1',
    at('08:05:00'),
    kmsCall('DescribeKey', quietKey, ctx(at('08:05:00'), bob, 'us-east-1', '192.0.2.44', cli)),
  );

  return {
    list,
    planted: {
      publicKey,
      publicFrom: iso(at('10:15:00')),
      publicUntil: iso(at('10:16:00')),
      leakedAccessKey: world.users.buildBot,
      mintedAccessKey: assumed.minted,
      attackerRole,
      outsiderAccount: world.outsiderAccount,
      outsiderKey: publicKey,
      outsiderCalls,
      ransomPrincipal: ransomRole,
      ransomKeys: [...ransomKeys].sort(),
      quietAccessKey: world.users.bob,
      quietKey,
    },
  };
};

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
