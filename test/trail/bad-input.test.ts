/**
 * Truncated gzip, JSON that is not CloudTrail, records missing fields, a policy that is not JSON: counted and
 * reported per file by both engines, never fatal, and the good records around them are still investigated.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExposuresResult } from '../../src/trail/detect/exposures';
import type { ReadReport } from '../../src/trail/detect/read-report';
import { runInvestigation } from '../../src/trail/detect/run';
import { duckdbSource } from '../../src/trail/read/duckdb-source';
import { fileSource } from '../../src/trail/read/files';
import type { TrailSource } from '../../src/trail/read/source';
import { simpleJudge } from './judge';

const TEMPLATES = join(import.meta.dirname, 'fixtures/templates');
const template = (name: string) => JSON.parse(readFileSync(join(TEMPLATES, `${name}.json`), 'utf8'));

let root: string;
let logs: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'keywarden-bad-'));
  logs = join(root, 'logs');
  mkdirSync(logs);
  const put = template('put-key-policy');
  const decrypt = template('decrypt');
  const badPolicy = {
    ...put,
    eventID: 'bad-policy-1',
    requestParameters: { ...put.requestParameters, policy: '{"Version": "2012-10-17", "Statement": [' },
  };
  writeFileSync(join(logs, 'good.json.gz'), gzipSync(JSON.stringify({ Records: [put, decrypt, badPolicy] })));
  const big = gzipSync(
    JSON.stringify({ Records: Array.from({ length: 200 }, (_, i) => ({ ...decrypt, eventID: `d-${i}` })) }),
  );
  writeFileSync(join(logs, 'truncated.json.gz'), big.subarray(0, Math.floor(big.length / 2)));
  const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ ...put, eventID: `l-${i}` })).join('\n');
  const gzLines = gzipSync(lines);
  writeFileSync(join(logs, 'truncated-lines.jsonl.gz'), gzLines.subarray(0, Math.floor(gzLines.length * 0.6)));
  writeFileSync(join(logs, 'not-cloudtrail.json'), JSON.stringify({ foo: 1, bar: [1, 2] }));
  const { eventName: _dropped, ...noName } = decrypt;
  writeFileSync(
    join(logs, 'missing-fields.json'),
    JSON.stringify({ Records: [noName, { ...decrypt, eventName: 42 }, { ...put, eventID: 'put-2' }] }),
  );
  writeFileSync(join(logs, 'not-json.json'), 'this is a log line, not JSON\n');
  writeFileSync(join(logs, 'empty.json'), '');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const exposures = async (source: TrailSource) => {
  const outcome = await runInvestigation('exposures', (query) => source.read(query), {
    window: {},
    judgePolicy: simpleJudge,
  });
  expect(outcome.ok).toBe(true);
  return (outcome as { ok: true; value: { result: ExposuresResult } }).value.result;
};

const problemOf = (report: ReadReport, name: string) =>
  report.problems.find((problem) => basename(problem.file) === name);

describe('bad input, file stream', () => {
  it('reports every bad file and record, and still replays the good policy changes', async () => {
    const source = fileSource(logs);
    const result = await exposures(source);
    const report = source.report();

    expect(problemOf(report, 'truncated.json.gz')?.error).toMatch(
      /gzip is damaged or truncated.*unexpected end of file/,
    );
    const lines = problemOf(report, 'truncated-lines.jsonl.gz');
    expect(lines?.error).toMatch(/truncated/);
    expect(lines?.events).toBeGreaterThan(50); // the lines before the cut are read
    expect(problemOf(report, 'not-cloudtrail.json')?.error).toMatch(/no CloudTrail records.*foo, bar/);
    expect(problemOf(report, 'not-json.json')?.error).toMatch(/^not valid JSON/);
    expect(problemOf(report, 'empty.json')?.error).toBe('the file is empty');
    expect(problemOf(report, 'missing-fields.json')?.reasons).toEqual([
      { reason: 'not a CloudTrail record: eventName: expected string', count: 1 },
      { reason: 'not a CloudTrail record: missing eventName', count: 1 },
    ]);
    expect(report.invalidEvents).toBeGreaterThanOrEqual(3); // 2 bad records + the cut-off last line

    const bad = result.changes.find((change) => change.eventID === 'bad-policy-1');
    expect(bad?.policyError).toMatch(/^policy not valid JSON/);
    expect(result.invalidPolicies).toBe(1);
    expect(result.changes.filter((change) => change.eventID === 'put-2')).toHaveLength(1);
    expect(result.changes.filter((change) => change.eventID?.startsWith('l-')).length).toBe(lines?.events);
  });

  it('a path that does not exist is reported with how to fix it', async () => {
    const source = fileSource(join(root, 'nope'));
    await exposures(source);
    expect(source.report()).toMatchObject({ files: 0, unreadableFiles: 1 });
    expect(source.report().problems[0]?.error).toMatch(/does not exist: give a folder or file of CloudTrail logs/);
  });
});

describe('bad input, DuckDB', () => {
  it('records each unreadable file and the records missing fields, and loads the rest', async () => {
    const source = duckdbSource(logs, { database: join(root, 'bad.duckdb') });
    const result = await exposures(source);
    const report = source.report();
    await source.close?.();

    expect(problemOf(report, 'truncated.json.gz')?.error).toMatch(/^cannot be read/);
    expect(problemOf(report, 'not-cloudtrail.json')?.error).toMatch(/no CloudTrail records/);
    expect(problemOf(report, 'not-json.json')?.error).toMatch(/^cannot be read|no CloudTrail records/);
    expect(problemOf(report, 'missing-fields.json')).toMatchObject({ events: 3, invalidEvents: 1 });
    expect(result.invalidPolicies).toBe(1);
    expect(result.changes.some((change) => change.eventID === 'put-2')).toBe(true);
  });
});
