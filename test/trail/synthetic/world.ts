/**
 * The cast of the synthetic trail: three accounts of one organisation, their keys, roles and users, the outsider,
 * and the planted incidents. Deterministic from a seed.
 */

/** mulberry32: a small seedable PRNG. */
export const prng = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export type Random = () => number;

export const hex = (random: Random, length: number): string => {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(random() * 16).toString(16);
  return out;
};

export const uuid = (random: Random): string =>
  `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-a${hex(random, 3)}-${hex(random, 12)}`;

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const keyIdSuffix = (random: Random): string => {
  let out = '';
  for (let i = 0; i < 16; i++) out += ALPHANUM[Math.floor(random() * ALPHANUM.length)];
  return out;
};

export const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

export const REGIONS = ['us-east-1', 'eu-west-1'] as const;

export interface Account {
  id: string;
  name: string;
  /** Keys per region. */
  keys: Record<string, string[]>;
  roles: string[];
}

export interface World {
  accounts: Account[];
  outsiderAccount: string;
  users: { buildBot: string; bob: string; admin: Record<string, string> };
}

export const buildWorld = (seed: number): World => {
  const random = prng(seed ^ 0x5eed);
  const ids = ['111111111111', '222222222222', '333333333333'];
  const names = ['prod', 'dev', 'data'];
  const accounts = ids.map((id, index) => {
    const keys: Record<string, string[]> = {};
    for (const region of REGIONS) {
      keys[region] = Array.from({ length: 4 }, () => `arn:aws:kms:${region}:${id}:key/${uuid(random)}`);
    }
    return {
      id,
      name: names[index] as string,
      keys,
      roles: ['app-api', 'app-worker', 'etl', 'reporting'].map((role) => `arn:aws:iam::${id}:role/${role}`),
    };
  });
  return {
    accounts,
    outsiderAccount: '999999999999',
    users: {
      buildBot: `AKIA${keyIdSuffix(random)}`,
      bob: `AKIA${keyIdSuffix(random)}`,
      admin: Object.fromEntries(ids.map((id) => [id, `AKIA${keyIdSuffix(random)}`])),
    },
  };
};

/** What was planted, for the tests to check against. */
export interface Planted {
  publicKey: string;
  publicFrom: string;
  publicUntil: string;
  leakedAccessKey: string;
  mintedAccessKey: string;
  attackerRole: string;
  outsiderAccount: string;
  outsiderKey: string;
  outsiderCalls: number;
  ransomPrincipal: string;
  ransomKeys: string[];
  /** An access key with ordinary activity only. */
  quietAccessKey: string;
  /** A key with ordinary use and admin changes only. */
  quietKey: string;
}
