/**
 * From a SOURCE string and the command's options to a TrailSource: a folder (file stream or DuckDB), s3:// (synced
 * to the cache, then the same), lookup: (LookupEvents), logs: (Logs Insights), or s3:// with --athena.
 */
import { join } from 'node:path';
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { S3Client } from '@aws-sdk/client-s3';
import type { TimeWindow } from '../detect/time';
import { type Clock, realClock } from './async';
import { athenaSource } from './athena';
import { duckdbSource } from './duckdb-source';
import { fileSource, readFiles } from './files';
import { logsSource } from './logs';
import { lookupSource } from './lookup';
import { ReadTally } from './report';
import { awsLogsPrefix, listRegionFolders, syncTrailObjects } from './s3';
import { parseSourceSpec, type TrailSource } from './source';

export interface AwsClients {
  cloudtrail(region: string): CloudTrailClient;
  s3(): S3Client;
  logs(): CloudWatchLogsClient;
  athena(): AthenaClient;
  /** Regions enabled for the account (account:ListRegions). */
  listRegions(): Promise<string[]>;
}

/** SDK clients with the standard credential chain; `region` for the clients that are not per-region. */
export const defaultClients = (region?: string): AwsClients => {
  const config = region ? { region } : {};
  const cloudtrail = new Map<string, CloudTrailClient>();
  let s3: S3Client | undefined;
  let logs: CloudWatchLogsClient | undefined;
  let athena: AthenaClient | undefined;
  return {
    cloudtrail(r) {
      let client = cloudtrail.get(r);
      if (!client) {
        client = new CloudTrailClient({ region: r });
        cloudtrail.set(r, client);
      }
      return client;
    },
    s3: () => {
      s3 ??= new S3Client({ ...config, followRegionRedirects: true });
      return s3;
    },
    logs: () => {
      logs ??= new CloudWatchLogsClient(config);
      return logs;
    },
    athena: () => {
      athena ??= new AthenaClient(config);
      return athena;
    },
    async listRegions() {
      const client = new AccountClient(config);
      const regions: string[] = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(
          new ListRegionsCommand({ RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], NextToken }),
        );
        for (const entry of page.Regions ?? []) if (entry.RegionName) regions.push(entry.RegionName);
        NextToken = page.NextToken;
      } while (NextToken);
      return regions;
    },
  };
};

export interface AthenaSettings {
  database: string;
  table: string;
  workgroup?: string;
  outputLocation?: string;
  /** yyyy/MM/dd, first day of the partition projection. */
  firstDay: string;
  createTable: boolean;
}

export interface OpenOptions {
  engine: 'stream' | 'duckdb';
  /** Cache folder: S3 objects and the DuckDB database. */
  cacheDir: string;
  /** DuckDB database file (default: cacheDir/trail.duckdb). */
  database?: string;
  accounts?: string[];
  regions?: string[];
  window: TimeWindow;
  athena?: AthenaSettings;
}

export type Opened = { ok: true; source: TrailSource } | { ok: false; reason: string };

/** An S3 selection synced once into the cache, then read from disk (stream or DuckDB). */
const s3Source = (
  bucket: string,
  prefix: string,
  options: OpenOptions,
  clients: AwsClients,
  clock: Clock,
): TrailSource => {
  const tally = new ReadTally();
  let synced: Promise<string[]> | undefined;
  const sync = () => {
    synced ??= syncTrailObjects(
      clients.s3(),
      { bucket, prefix, accounts: options.accounts ?? [], regions: options.regions ?? [], window: options.window },
      options.cacheDir,
      tally,
      clock.now(),
    );
    return synced;
  };
  const description = `s3://${bucket}/${prefix}`;
  if (options.engine === 'duckdb') {
    const duck = duckdbSource(join(options.cacheDir, 's3', bucket, awsLogsPrefix(prefix)), {
      database: options.database ?? join(options.cacheDir, 'trail.duckdb'),
      files: sync,
    });
    return {
      description: `${description} (cached, DuckDB)`,
      read: (query) => duck.read(query),
      report: () => {
        const fetched = tally.report();
        const loaded = duck.report();
        return {
          ...loaded,
          unreadableFiles: loaded.unreadableFiles + fetched.unreadableFiles,
          problems: [...fetched.problems, ...loaded.problems],
        };
      },
      close: () => duck.close?.() ?? Promise.resolve(),
    };
  }
  let reads = 0;
  return {
    description: `${description} (cached)`,
    async *read(query) {
      const files = await sync();
      yield* readFiles(files, query, reads++ === 0 ? tally : new ReadTally());
    },
    report: () => tally.report(),
  };
};

/** The accounts and regions under AWSLogs/, for Athena's enum projections when none were given. */
const discoverPartitions = async (clients: AwsClients, bucket: string, prefix: string) => {
  const folders = await listRegionFolders(clients.s3(), { bucket, prefix });
  return {
    accounts: [...new Set(folders.map((f) => f.account))].sort(),
    regions: [...new Set(folders.map((f) => f.region))].sort(),
  };
};

export const openSource = async (
  text: string,
  options: OpenOptions,
  clients: AwsClients = defaultClients(),
  clock: Clock = realClock,
): Promise<Opened> => {
  const parsed = parseSourceSpec(text);
  if (!parsed.ok) return parsed;
  const { spec } = parsed;
  if (options.athena && spec.kind !== 's3') {
    return {
      ok: false,
      reason: '--athena needs SOURCE s3://bucket/prefix: the S3 location of the trail the table reads',
    };
  }
  switch (spec.kind) {
    case 'path':
      return {
        ok: true,
        source:
          options.engine === 'duckdb'
            ? duckdbSource(spec.path, { database: options.database ?? join(options.cacheDir, 'trail.duckdb') })
            : fileSource(spec.path),
      };
    case 'lookup':
      return {
        ok: true,
        source: lookupSource({
          regions: spec.regions,
          client: (region) => clients.cloudtrail(region),
          listRegions: () => clients.listRegions(),
          clock,
        }),
      };
    case 'logs':
      return { ok: true, source: logsSource({ logGroup: spec.logGroup, client: clients.logs(), clock }) };
    case 's3': {
      if (!options.athena) return { ok: true, source: s3Source(spec.bucket, spec.prefix, options, clients, clock) };
      let accounts = options.accounts ?? [];
      let regions = options.regions ?? [];
      if (accounts.length === 0 || regions.length === 0) {
        try {
          const found = await discoverPartitions(clients, spec.bucket, spec.prefix);
          if (accounts.length === 0) accounts = found.accounts;
          if (regions.length === 0) regions = found.regions;
        } catch (error) {
          return {
            ok: false,
            reason: `cannot list s3://${spec.bucket}/${spec.prefix} to find accounts and regions (${(error as Error).message}): give --accounts and --regions`,
          };
        }
      }
      if (accounts.length === 0 || regions.length === 0) {
        return {
          ok: false,
          reason: `no CloudTrail logs found under s3://${spec.bucket}/${spec.prefix}: give --accounts and --regions for the table`,
        };
      }
      return {
        ok: true,
        source: athenaSource({
          client: clients.athena(),
          ...options.athena,
          logsLocation: `s3://${spec.bucket}/${awsLogsPrefix(spec.prefix)}`,
          accounts,
          regions,
          clock,
        }),
      };
    }
  }
};
