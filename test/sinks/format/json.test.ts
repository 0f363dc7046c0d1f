import { describe, expect, it } from 'vitest';
import type { KeyReport } from '../../../src/findings/report';
import { createFormatSink } from '../../../src/sinks/format/index';
import { type JsonReport, REPORT_FORMAT, toJsonReport } from '../../../src/sinks/format/json';
import { loadGaps, loadReports } from '../fixtures/load';
import { CaptureStream } from '../helpers/capture';
import { reportValidator } from '../helpers/schemas';

const tool = { name: 'keywarden', version: '0.1.0' };
const generatedAt = '2024-05-02T10:01:00.000Z';

async function produce(reports: KeyReport[], gaps = loadGaps()): Promise<string> {
  const out = new CaptureStream();
  const sink = createFormatSink('json', out, { tool, generatedAt });
  for (const report of reports) await sink.write(report);
  for (const gap of gaps) await sink.gap(gap);
  await sink.close();
  return out.text;
}

describe('json format (keywarden.report/v1)', () => {
  it('produces a report that validates against schemas/report.v1.json', async () => {
    const validate = reportValidator();
    const report = JSON.parse(await produce(loadReports())) as JsonReport;
    const valid = validate(report);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(report.format).toBe(REPORT_FORMAT);
    expect(report.generatedAt).toBe(generatedAt);
    expect(report.tool).toEqual(tool);
  });

  it('the schema rejects what the format does not allow', () => {
    const validate = reportValidator();
    const good = toJsonReport(loadReports(), loadGaps(), { tool, generatedAt });
    const mutations: Array<(r: JsonReport & Record<string, unknown>) => void> = [
      (r) => Object.assign(r.keys[0]!, { reach: 'everyone' }),
      (r) => Object.assign(r.keys[0]!.findings[0]!, { severity: 'urgent' }),
      (r) => Object.assign(r.keys[0]!, { locate: 'function' }),
      (r) => Object.assign(r, { format: 'keywarden.report/v2' }),
      (r) => Object.assign(r.gaps[0]!, { reason: '' }),
      (r) => Object.assign(r.keys[0]!.findings[0]!.evidence, { line: 0 }),
      (r) => Object.assign(r.summary.findings, { critical: -1 }),
      (r) => Object.assign(r, { generatedAt: 'yesterday' }),
    ];
    for (const mutate of mutations) {
      const copy = structuredClone(good) as JsonReport & Record<string, unknown>;
      mutate(copy);
      expect(validate(copy)).toBe(false);
    }
  });

  it('is deterministic: the same run in any arrival order gives the same bytes', async () => {
    const first = await produce(loadReports(), loadGaps());
    const shuffled = loadReports().reverse();
    for (const report of shuffled) report.findings.reverse();
    const second = await produce(shuffled, loadGaps().reverse());
    expect(second).toBe(first);
  });

  it('sorts keys by ARN, findings by severity then rule, principals by name, tags by key', async () => {
    const report = JSON.parse(await produce(loadReports())) as JsonReport;
    const arns = report.keys.map((k) => k.arn);
    expect(arns).toEqual([...arns].sort());
    const publicKey = report.keys.find((k) => k.keyId === '1234abcd-12ab-34cd-56ef-1234567890ab')!;
    expect(publicKey.findings.map((f) => f.rule)).toEqual(['public-key', 'rotation-disabled', 'separation-of-duties']);
    expect(publicKey.principals.map((p) => p.principal)).toEqual([
      '*',
      'arn:aws:iam::111122223333:role/ReportsAdmin',
      'arn:aws:iam::111122223333:root',
    ]);
    expect(Object.keys(publicKey.tags!)).toEqual(['env', 'team']);
    const shared = report.keys.find((k) => k.reach === 'cross-account')!;
    expect(shared.aliases).toEqual(['alias/shared-logs', 'alias/shared-logs-legacy']);
    expect(shared.externalAccounts).toEqual(['444455556666']);
  });

  it('keeps only the policy document under `policy`, never the parsed model or its functions', async () => {
    const text = await produce(loadReports());
    expect(text).not.toContain('"statements"');
    expect(text).not.toContain('locate');
    const report = JSON.parse(text) as JsonReport;
    const publicKey = report.keys.find((k) => k.reach === 'public')!;
    const fixture = loadReports().find((r) => r.access.reach === 'public')!;
    expect(publicKey.policy).toEqual(fixture.key.policy.ok ? fixture.key.policy.value.document : undefined);
  });

  it('says what was not read instead of inventing values', async () => {
    const report = JSON.parse(await produce(loadReports())) as JsonReport;
    const unreadable = report.keys.find((k) => k.reach === 'unknown')!;
    expect(unreadable.policy).toBeNull();
    expect(unreadable.grants).toBeNull();
    expect(unreadable.aliases).toEqual([]);
    expect(Object.keys(unreadable.notRead).sort()).toEqual(['aliases', 'grants', 'policy', 'tags']);
    expect(unreadable.notRead.policy).toMatch(/^AccessDeniedException/);
    expect(unreadable.reachUnknownReason).toBe('the key policy could not be read (AccessDeniedException)');
    expect(unreadable.findings[0]).toMatchObject({ rule: 'policy-unreadable', status: 'unknown' });
    const clean = report.keys.find((k) => k.reach === 'internal')!;
    expect(clean.notRead).toEqual({});
    expect(clean.findings).toEqual([]);
  });

  it('lists every gap and the totals', async () => {
    const report = JSON.parse(await produce(loadReports())) as JsonReport;
    expect(report.gaps).toHaveLength(3);
    expect(report.gaps.find((g) => g.file)).toEqual({
      file: 'snapshots/broken.json',
      line: 3,
      column: 15,
      pointer: '/GetKeyPolicy',
      reason: 'Unexpected token } in JSON: fix the file or remove it from the scan',
    });
    expect(report.summary).toEqual({
      keys: 4,
      findings: { critical: 1, high: 3, medium: 1, low: 0, info: 0 },
      unknown: 1,
      gaps: 3,
    });
  });

  it('an empty run is a valid report', async () => {
    const validate = reportValidator();
    const report = JSON.parse(await produce([], [])) as JsonReport;
    expect(validate(report)).toBe(true);
    expect(report.keys).toEqual([]);
  });
});
