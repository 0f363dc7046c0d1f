/**
 * A trail source: where CloudTrail events come from, named by a SOURCE string on the command line.
 */
import type { CloudTrailEvent } from '../detect/event';
import type { EventQuery } from '../detect/run';
import type { ReadReport } from './report';

export type { EventQuery };

export interface TrailSource {
  /** How the source is named in reports (the SOURCE string, resolved). */
  readonly description: string;
  /** Events in batches (a batch per file or page), in no particular order. */
  read(query: EventQuery): AsyncIterable<CloudTrailEvent[]>;
  /** What was read and what could not be, per file. */
  report(): ReadReport;
  close?(): Promise<void>;
}

export type SourceSpec =
  | { kind: 'path'; path: string }
  | { kind: 's3'; bucket: string; prefix: string }
  | { kind: 'lookup'; regions: string[] | 'all' }
  | { kind: 'logs'; logGroup: string };

export type SpecParse = { ok: true; spec: SourceSpec } | { ok: false; reason: string };

/** Parse a SOURCE string: a path, `s3://bucket/prefix`, `lookup:REGION[,REGION]`, `lookup:all`, `logs:LOG_GROUP`. */
export const parseSourceSpec = (text: string): SpecParse => {
  const value = text.trim();
  if (value === '')
    return { ok: false, reason: 'SOURCE is empty: give a path, s3://bucket/prefix, lookup:REGION or logs:GROUP' };
  if (value.startsWith('s3://')) {
    const rest = value.slice(5);
    const slash = rest.indexOf('/');
    const bucket = slash === -1 ? rest : rest.slice(0, slash);
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      return { ok: false, reason: `"${bucket}" is not an S3 bucket name (in ${value})` };
    }
    return { ok: true, spec: { kind: 's3', bucket, prefix: slash === -1 ? '' : rest.slice(slash + 1) } };
  }
  if (value.startsWith('lookup:')) {
    const list = value.slice(7);
    if (list === 'all') return { ok: true, spec: { kind: 'lookup', regions: 'all' } };
    const regions = list.split(',').map((region) => region.trim());
    const bad = regions.find((region) => !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region));
    if (bad !== undefined || regions.length === 0) {
      return { ok: false, reason: `"${bad ?? list}" is not a region: use lookup:us-east-1,eu-west-1 or lookup:all` };
    }
    return { ok: true, spec: { kind: 'lookup', regions } };
  }
  if (value.startsWith('logs:')) {
    const logGroup = value.slice(5);
    if (!/^[\w./#-]{1,512}$/.test(logGroup)) {
      return { ok: false, reason: `"${logGroup}" is not a CloudWatch Logs log group name` };
    }
    return { ok: true, spec: { kind: 'logs', logGroup } };
  }
  return { ok: true, spec: { kind: 'path', path: value } };
};
