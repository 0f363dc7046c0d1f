/**
 * s3:// (listed by account/region/day prefixes, fetched into the cache once) and --athena (the investigation SQL
 * sent to Athena, answered here by running that very SQL text in DuckDB over the same trail), both through the real
 * SDK clients with aws-sdk-client-mock, both giving exactly the local stream's result.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type GetQueryResultsCommandInput,
  StartQueryExecutionCommand,
  type StartQueryExecutionCommandInput,
} from '@aws-sdk/client-athena';
import {
  GetObjectCommand,
  type GetObjectCommandInput,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InvestigationName } from '../../src/trail/detect/investigation';
import { runInvestigation } from '../../src/trail/detect/run';
import { TrailDatabase } from '../../src/trail/read/duckdb-store';
import { fileSource, listTrailFiles } from '../../src/trail/read/files';
import { type AwsClients, type OpenOptions, openSource } from '../../src/trail/read/open';
import type { TrailSource } from '../../src/trail/read/source';
import { simpleJudge } from './judge';
import { syntheticTrail } from './synthetic/generate';

const trail = syntheticTrail({ events: 3_000, seed: 7 });
const cache = mkdtempSync(join(tmpdir(), 'keywarden-s3-'));
const s3 = mockClient(S3Client);
const athena = mockClient(AthenaClient);
afterEach(() => {
  s3.reset();
  athena.reset();
});
afterAll(() => rmSync(cache, { recursive: true, force: true }));

const clock = { now: () => Date.parse('2024-06-02T00:00:00Z'), sleep: async () => {} };
const clients: AwsClients = {
  cloudtrail: () => {
    throw new Error('not used');
  },
  s3: () => new S3Client({ region: 'us-east-1' }),
  logs: () => {
    throw new Error('not used');
  },
  athena: () => new AthenaClient({ region: 'us-east-1' }),
  listRegions: async () => [],
};

const investigate = async (source: TrailSource, name: InvestigationName, window = {}, subject?: string) => {
  const outcome = await runInvestigation(name, (query) => source.read(query), {
    window,
    ...(subject ? { subject } : {}),
    judgePolicy: simpleJudge,
  });
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.value;
};

/** The trail's files as objects of a bucket under the prefix cloudtrail/. */
const objects: Array<{ Key: string; Size: number; path: string }> = [];
const walk = (dir: string) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith('.json.gz'))
      objects.push({ Key: `cloudtrail/${relative(trail.root, full)}`, Size: statSync(full).size, path: full });
  }
};

/** ListObjectsV2 over those objects: Prefix, Delimiter (CommonPrefixes) and pages of 1000 keys. */
const fakeBucket = () => {
  s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
    const prefix = input.Prefix ?? '';
    const matching = objects.filter((object) => object.Key.startsWith(prefix)).sort((a, b) => (a.Key < b.Key ? -1 : 1));
    const folders = new Set<string>();
    const contents: typeof objects = [];
    for (const object of matching) {
      const rest = object.Key.slice(prefix.length);
      const cut = input.Delimiter ? rest.indexOf(input.Delimiter) : -1;
      if (cut === -1) contents.push(object);
      else folders.add(prefix + rest.slice(0, cut + 1));
    }
    const start = Number(input.ContinuationToken ?? 0);
    const page = contents.slice(start, start + 1000);
    const more = start + 1000 < contents.length;
    return {
      Contents: page.map(({ Key, Size }) => ({ Key, Size })),
      CommonPrefixes: start === 0 ? [...folders].map((Prefix) => ({ Prefix })) : [],
      IsTruncated: more,
      ...(more ? { NextContinuationToken: String(start + 1000) } : {}),
    };
  });
  s3.on(GetObjectCommand).callsFake((input: GetObjectCommandInput) => {
    const object = objects.find((o) => o.Key === input.Key);
    if (!object) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    return { Body: Readable.from(readFileSync(object.path)) as unknown as GetObjectCommandOutput['Body'] };
  });
};

beforeAll(() => walk(trail.dir));

const options = (extra: Partial<OpenOptions> = {}): OpenOptions => ({
  engine: 'stream',
  cacheDir: cache,
  window: {},
  ...extra,
});

describe('s3://bucket/prefix', () => {
  const window = { since: Date.parse('2024-06-01T13:00:00Z'), until: Date.parse('2024-06-01T15:00:00Z') };

  it('lists only the account and days asked, fetches those objects once, and finds the ransom pattern', async () => {
    fakeBucket();
    const selection = options({ accounts: ['333333333333'], window });
    const opened = await openSource('s3://trail-bucket/cloudtrail', selection, clients, clock);
    if (!opened.ok) throw new Error(opened.reason);
    const result = await investigate(opened.source, 'ransom', window);
    expect(result.result.flags).toHaveLength(1);
    const fetched = s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input.Key as string);
    expect(fetched.length).toBe(objects.filter((o) => o.Key.includes('/333333333333/')).length);
    expect(fetched.every((key) => key.includes('/333333333333/CloudTrail/'))).toBe(true);
    const listed = s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input.Prefix as string);
    expect(listed).toContain('cloudtrail/AWSLogs/333333333333/CloudTrail/us-east-1/2024/06/01/');
    expect(listed.some((prefix) => prefix.includes('/111111111111/CloudTrail/us-east-1/'))).toBe(false);

    s3.resetHistory();
    const again = await openSource('s3://trail-bucket/cloudtrail', selection, clients, clock);
    if (!again.ok) throw new Error(again.reason);
    await investigate(again.source, 'ransom', window);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0); // served from the cache
  });

  it('through DuckDB gives the same result as the local stream', async () => {
    fakeBucket();
    const opened = await openSource('s3://trail-bucket/cloudtrail', options({ engine: 'duckdb' }), clients, clock);
    if (!opened.ok) throw new Error(opened.reason);
    const viaS3 = await investigate(opened.source, 'exposures');
    await opened.source.close?.();
    expect(viaS3).toEqual(await investigate(fileSource(trail.dir), 'exposures'));
  });

  it('an object that cannot be fetched is reported, the others are read', async () => {
    fakeBucket();
    const broken = objects.find((o) => o.Key.includes('/222222222222/'))?.Key;
    s3.on(GetObjectCommand, { Key: broken }).rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }),
    );
    const opened = await openSource(
      's3://trail-bucket/cloudtrail',
      options({ cacheDir: join(cache, 'fresh'), accounts: ['222222222222'] }),
      clients,
      clock,
    );
    if (!opened.ok) throw new Error(opened.reason);
    await investigate(opened.source, 'ransom');
    const report = opened.source.report();
    expect(report.problems).toEqual([
      expect.objectContaining({ file: `s3://trail-bucket/${broken}`, error: expect.stringContaining('AccessDenied') }),
    ]);
    expect(report.files).toBe(objects.filter((o) => o.Key.includes('/222222222222/')).length - 1);
  });
});

describe('--athena', () => {
  let db: TrailDatabase;
  beforeAll(async () => {
    db = await TrailDatabase.open(':memory:');
    const files = await listTrailFiles(trail.dir);
    if (!files.ok) throw new Error(files.reason);
    await db.load(files.files);
  });
  afterAll(() => db.close());

  /** Athena answered by running the SQL text it received in DuckDB (partition filters dropped: DuckDB has none). */
  const fakeAthena = (state: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED') => {
    const sent: StartQueryExecutionCommandInput[] = [];
    const results = new Map<string, Array<Record<string, unknown>>>();
    athena.on(StartQueryExecutionCommand).callsFake(async (input: StartQueryExecutionCommandInput) => {
      sent.push(input);
      const id = `q${sent.length}`;
      const sql = input.QueryString ?? '';
      if (sql.startsWith('SELECT')) {
        const local = sql
          .replace('FROM "default"."keywarden_cloudtrail"', 'FROM cloudtrail')
          .replace(/\n {2}AND (day|account|region) [^\n]*/g, '');
        results.set(id, await db.rows(local));
      }
      return { QueryExecutionId: id };
    });
    let polls = 0;
    athena.on(GetQueryExecutionCommand).callsFake(() => ({
      QueryExecution: {
        Status:
          polls++ % 2 === 0
            ? { State: 'RUNNING' }
            : state === 'FAILED'
              ? { State: 'FAILED', StateChangeReason: 'HIVE_BAD_DATA: malformed record' }
              : { State: 'SUCCEEDED' },
      },
    }));
    athena.on(GetQueryResultsCommand).callsFake((input: GetQueryResultsCommandInput) => {
      const rows = results.get(input.QueryExecutionId ?? '') ?? [];
      const names = Object.keys(rows[0] ?? { eventtime: null });
      const all = [Object.fromEntries(names.map((n) => [n, n])), ...rows];
      const start = Number(input.NextToken ?? 0);
      const page = all.slice(start, start + (input.MaxResults ?? 1000));
      const next = start + page.length;
      return {
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: names.map((Name) => ({ Name, Type: 'varchar' })) },
          Rows: page.map((row) => ({
            Data: names.map((n) => (row[n] === null || row[n] === undefined ? {} : { VarCharValue: String(row[n]) })),
          })),
        },
        ...(next < all.length ? { NextToken: String(next) } : {}),
      };
    });
    return sent;
  };

  const athenaOptions = (window = {}) =>
    options({
      window,
      athena: {
        database: 'default',
        table: 'keywarden_cloudtrail',
        workgroup: 'security',
        outputLocation: 's3://athena-results/keywarden/',
        firstDay: '2024/05/01',
        createTable: true,
      },
    });

  it.each([
    ['exposures', undefined],
    ['outsiders', undefined],
    ['ransom', undefined],
    ['key', 'PUBLIC_KEY'],
    ['access-key', 'LEAKED'],
  ] as Array<[InvestigationName, string | undefined]>)(
    '%s: the same result as the local stream',
    async (name, subjectName) => {
      fakeBucket();
      fakeAthena();
      const subject =
        subjectName === 'PUBLIC_KEY'
          ? trail.planted.publicKey
          : subjectName === 'LEAKED'
            ? trail.planted.leakedAccessKey
            : undefined;
      const opened = await openSource('s3://trail-bucket/cloudtrail', athenaOptions(), clients, clock);
      if (!opened.ok) throw new Error(opened.reason);
      const viaAthena = await investigate(opened.source, name, {}, subject);
      expect(viaAthena).toEqual(await investigate(fileSource(trail.dir), name, {}, subject));
      expect(viaAthena.result.flags.length).toBeGreaterThan(0);
    },
  );

  it('creates the table with partition projection, then queries with partition filters, workgroup and output location', async () => {
    fakeBucket();
    const sent = fakeAthena();
    const window = { since: Date.parse('2024-06-01T13:00:00Z'), until: Date.parse('2024-06-01T15:00:00Z') };
    const opened = await openSource('s3://trail-bucket/cloudtrail', athenaOptions(window), clients, clock);
    if (!opened.ok) throw new Error(opened.reason);
    const result = await investigate(opened.source, 'ransom', window);
    expect(result.result.flags).toHaveLength(1);
    const [ddl, query] = sent;
    expect(ddl?.QueryString).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS `default`.`keywarden_cloudtrail`');
    expect(ddl?.QueryString).toContain("'projection.account.values'='111111111111,222222222222,333333333333'");
    expect(ddl?.QueryString).toContain("'projection.region.values'='eu-west-1,us-east-1'");
    expect(ddl?.QueryString).toContain(
      `'storage.location.template'='s3://trail-bucket/cloudtrail/AWSLogs/\${account}/CloudTrail/\${region}/\${day}'`,
    );
    expect(query).toMatchObject({
      WorkGroup: 'security',
      ResultConfiguration: { OutputLocation: 's3://athena-results/keywarden/' },
      QueryExecutionContext: { Database: 'default' },
    });
    expect(query?.QueryString).toContain("AND day >= '2024/05/31'");
    expect(query?.QueryString).toContain("eventtime >= '2024-06-01T13:00:00Z'");
  });

  it("a failed query is reported with Athena's reason, and nothing counts as read", async () => {
    fakeBucket();
    fakeAthena('FAILED');
    const opened = await openSource('s3://trail-bucket/cloudtrail', athenaOptions(), clients, clock);
    if (!opened.ok) throw new Error(opened.reason);
    await investigate(opened.source, 'ransom');
    expect(opened.source.report()).toMatchObject({ files: 0, unreadableFiles: 1 });
    expect(opened.source.report().problems[0]?.error).toContain('HIVE_BAD_DATA: malformed record');
  });
});
