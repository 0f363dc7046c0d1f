/**
 * The synthetic 24-hour trail (3 accounts, ~100k events, generated once into test/.cache): every investigation finds
 * the planted incidents and flags nothing else, through the file stream and through DuckDB with identical results.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccessKeyResult } from '../../src/trail/detect/access-key';
import type { ExposuresResult } from '../../src/trail/detect/exposures';
import type { InvestigationName } from '../../src/trail/detect/investigation';
import type { OutsidersResult } from '../../src/trail/detect/outsiders';
import type { RansomResult } from '../../src/trail/detect/ransom';
import { type InvestigationResult, runInvestigation } from '../../src/trail/detect/run';
import type { KeyTimelineResult } from '../../src/trail/detect/timeline';
import { duckdbSource } from '../../src/trail/read/duckdb-source';
import { fileSource } from '../../src/trail/read/files';
import type { TrailSource } from '../../src/trail/read/source';
import { simpleJudge } from './judge';
import { syntheticTrail } from './synthetic/generate';

const trail = syntheticTrail({ events: 100_000, seed: 42 });
const { planted } = trail;
const work = mkdtempSync(join(tmpdir(), 'keywarden-trail-'));
const duck = duckdbSource(trail.dir, { database: join(work, 'trail.duckdb') });
afterAll(async () => {
  await duck.close?.();
  rmSync(work, { recursive: true, force: true });
});

const run = async (source: TrailSource, name: InvestigationName, subject?: string, validateAll = false) => {
  const outcome = await runInvestigation(
    name,
    (query) => source.read(validateAll ? { ...query, validateAll } : query),
    { window: {}, ...(subject ? { subject } : {}), judgePolicy: simpleJudge },
  );
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.value;
};

const CASES: Array<[InvestigationName, string | undefined]> = [
  ['exposures', undefined],
  ['outsiders', undefined],
  ['ransom', undefined],
  ['key', planted.publicKey],
  ['key', planted.quietKey],
  ['access-key', planted.leakedAccessKey],
  ['access-key', planted.quietAccessKey],
];

const streamResults = new Map<string, InvestigationResult>();
const resultOf = async (name: InvestigationName, subject?: string): Promise<InvestigationResult> => {
  const id = `${name}/${subject ?? ''}`;
  let result = streamResults.get(id);
  if (!result) {
    result = await run(fileSource(trail.dir), name, subject);
    streamResults.set(id, result);
  }
  return result;
};

describe('synthetic trail: planted incidents are found, nothing else is flagged', () => {
  it('was generated with the size asked', () => {
    expect(trail.events).toBe(100_000);
    expect(trail.files).toBe(1728);
  });

  it('exposures: the key was public from 10:15 to 10:16, and nothing else', async () => {
    const result = (await resultOf('exposures')).result as ExposuresResult;
    expect(result.periods).toEqual([
      expect.objectContaining({
        key: planted.publicKey,
        reach: 'public',
        kind: 'policy',
        from: planted.publicFrom,
        until: planted.publicUntil,
      }),
    ]);
    expect(result.flags).toHaveLength(1);
    expect(result.flags[0]).toMatchObject({ severity: 'critical', key: planted.publicKey });
    expect(result.changes.filter((change) => change.reach === 'public')).toHaveLength(1);
    expect(result.invalidPolicies).toBe(0);
  });

  it('outsiders: only the planted outside account, with its six Decrypt calls', async () => {
    const result = (await resultOf('outsiders')).result as OutsidersResult;
    expect(result.accounts.map((account) => account.account)).toEqual([planted.outsiderAccount]);
    expect(result.accounts[0]).toMatchObject({ calls: planted.outsiderCalls, keys: [planted.outsiderKey] });
    expect(result.flags).toHaveLength(1);
  });

  it('ransom: the one role that scheduled five keys for deletion; spread-out and failed disables are not flagged', async () => {
    const result = (await resultOf('ransom')).result as RansomResult;
    expect(result.incidents).toHaveLength(1);
    expect(result.incidents[0]).toMatchObject({ principal: planted.ransomPrincipal, keys: planted.ransomKeys });
    expect(result.candidates).toBe(8); // 5 planted + 3 ordinary admin deletions/disables hours apart
    expect(result.flags).toHaveLength(1);
  });

  it('key: the exposed key shows the public policy, its revert and the outsider; a quiet key shows nothing', async () => {
    const exposed = (await resultOf('key', planted.publicKey)).result as KeyTimelineResult;
    const policyChanges = exposed.entries.filter((entry) => entry.eventName === 'PutKeyPolicy');
    expect(policyChanges.map((entry) => [entry.time, entry.reach])).toEqual([
      [planted.publicFrom, 'public'],
      [planted.publicUntil, 'internal'],
    ]);
    expect(exposed.usage.some((group) => group.outsider && group.account === planted.outsiderAccount)).toBe(true);
    expect(exposed.flags.map((flag) => flag.severity).sort()).toEqual(['critical', 'high']);
    const quiet = (await resultOf('key', planted.quietKey)).result as KeyTimelineResult;
    expect(quiet.events).toBeGreaterThan(100);
    expect(quiet.flags).toEqual([]);
  });

  it('access-key: the leaked key is followed into the role it assumed; a quiet key is not flagged', async () => {
    const leaked = (await resultOf('access-key', planted.leakedAccessKey)).result as AccessKeyResult;
    expect(leaked.accessKeyIds).toEqual([planted.leakedAccessKey, planted.mintedAccessKey].sort());
    expect(leaked.minted.map((credential) => credential.roleArn)).toEqual([planted.attackerRole]);
    expect(leaked.suspicious.map((call) => call.eventName)).toEqual(['AssumeRole', 'PutKeyPolicy', 'PutKeyPolicy']);
    expect(leaked.flags.length).toBeGreaterThan(0);
    const quiet = (await resultOf('access-key', planted.quietAccessKey)).result as AccessKeyResult;
    expect(quiet.events).toBe(2);
    expect(quiet.flags).toEqual([]);
  });

  it('never carries the session token of the AssumeRole records into any result', async () => {
    for (const [name, subject] of CASES) {
      expect(JSON.stringify(await resultOf(name, subject))).not.toContain('CANARY-SESSION-TOKEN');
    }
  });

  it('reads every record and reports no problem', () => {
    const source = fileSource(trail.dir);
    return run(source, 'ransom').then(() => {
      expect(source.report()).toMatchObject({ files: 1728, events: 100_000, invalidEvents: 0, problems: [] });
    });
  });
});

describe('the same investigations through DuckDB and with every record validated', () => {
  it.each(CASES)('%s %s: DuckDB SQL gives exactly the stream result', async (name, subject) => {
    expect(await run(duck, name, subject)).toEqual(await resultOf(name, subject));
  });

  it.each(CASES)('%s %s: the record prefilter drops nothing the investigation uses', async (name, subject) => {
    expect(await run(fileSource(trail.dir), name, subject, true)).toEqual(await resultOf(name, subject));
  });

  it('DuckDB reports what it loaded and reuses its database for the next question', async () => {
    expect(duck.report()).toMatchObject({ files: 1728, events: 100_000, invalidEvents: 0, unreadableFiles: 0 });
  });
});
