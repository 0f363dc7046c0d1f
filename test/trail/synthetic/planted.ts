/**
 * The planted incidents of the synthetic trail, and the ordinary administration around them that must not be
 * flagged: each record built from the real templates (events.ts) at a fixed time.
 */
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
import { type buildWorld, keyIdSuffix, type Planted, type Random, uuid } from './world';

type Json = Record<string, unknown>;

export const iso = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const at = (hhmmss: string): number => Date.parse(`2024-06-01T${hhmmss}Z`);

export interface Special {
  account: string;
  region: string;
  time: number;
  record: Json;
}

export const specials = (
  random: Random,
  world: ReturnType<typeof buildWorld>,
): { list: Special[]; planted: Planted } => {
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
