import { describe, expect, it } from 'vitest';
import { BASELINE_FORMAT, baselineOf, parseBaseline, scanWithGate } from '../../src/app/baseline';
import { scan } from '../../src/app/scan';
import type { KeyReport } from '../../src/findings/report';
import type { SourceItem } from '../../src/kms/snapshot';
import { NO_TRUST } from '../../src/rules/engine';
import type { Sink } from '../../src/sinks/sink';
import { summarize } from '../../src/sinks/sink';
import { templateKeyFacts } from '../../src/sources/iac/to-snapshots';
import { example, items } from './helpers';

/** A sink that keeps what it receives. */
function recorder() {
  const reports: KeyReport[] = [];
  const sink: Sink = {
    write: async (r) => void reports.push(r),
    gap: async () => {},
    close: async () => summarize(reports, 0),
  };
  return { sink, reports };
}

async function* source(list: SourceItem[]) {
  yield* list;
}

const options = { failOn: 'high' as const, trusted: NO_TRUST };

describe('baseline file', () => {
  it('rejects what is not a baseline, saying how to make one', () => {
    expect(parseBaseline('nope', 'b.json')).toMatchObject({ ok: false, message: expect.stringContaining('not JSON') });
    expect(parseBaseline('{"findings": []}', 'b.json')).toMatchObject({
      ok: false,
      message: expect.stringContaining('write it with --write-baseline'),
    });
    expect(parseBaseline(JSON.stringify({ format: BASELINE_FORMAT, findings: [{ rule: 'x' }] }), 'b.json')).toEqual({
      ok: false,
      message: 'b.json: findings[0] has no "id" string',
    });
  });

  it('records the findings that would fail a run, sorted by id, without suppressed ones', async () => {
    const list = await items(example('public-key.yaml'), 'key.yaml', {
      parameters: { PartnerAccount: '444455556666' },
    });
    const { sink, reports } = recorder();
    await scan(source(list), [sink], options);
    const findings = reports.flatMap((r) => r.findings);
    const suppressed = { ...findings[0]!, suppressed: { reason: 'accepted' } };
    const baseline = baselineOf([suppressed, ...findings.slice(1)], '2025-06-01T00:00:00.000Z');
    expect(baseline.findings.map((f) => f.id)).toEqual(
      findings
        .slice(1)
        .map((f) => f.id)
        .sort(),
    );
    expect(baseline.findings[0]).toMatchObject({ resource: 'SharedKey', file: 'key.yaml' });
  });
});

describe('scanWithGate', () => {
  it('baseline findings are suppressed and do not fail; new ones fail; gone ones are listed', async () => {
    const text = example('public-key.yaml');
    const list = await items(text, 'key.yaml', { parameters: { PartnerAccount: '444455556666' } });
    const first = await scanWithGate(scan, source(list), [], options, { templateFacts: templateKeyFacts });
    expect(first.exitCode).toBe(1);
    const accepted = baselineOf(first.current, '2025-06-01T00:00:00.000Z');
    const stale = {
      id: 'KW-00000000000000000000',
      rule: 'public-key',
      resource: 'OldKey',
      severity: 'critical',
      title: 'old',
    };
    const baseline = { file: 'b.json', baseline: { ...accepted, findings: [...accepted.findings, stale] } };

    const { sink, reports } = recorder();
    const again = await scanWithGate(
      scan,
      source(await items(text, 'key.yaml', { parameters: { PartnerAccount: '444455556666' } })),
      [sink],
      options,
      {
        baseline,
        templateFacts: templateKeyFacts,
      },
    );
    expect(again.exitCode).toBe(0);
    expect(again.comparison).toMatchObject({ added: [], unchanged: 2, resolved: [stale] });
    expect(
      reports[0]?.findings.every(
        (f) => f.suppressed?.reason === 'in the baseline b.json (accepted 2025-06-01T00:00:00.000Z)',
      ),
    ).toBe(true);
    expect(again.summary.findings.critical).toBe(0);

    const other = await scanWithGate(
      scan,
      source(await items(text, 'key.yaml', { parameters: { PartnerAccount: '999988887777' } })),
      [],
      options,
      {
        baseline,
        templateFacts: templateKeyFacts,
      },
    );
    expect(other.exitCode).toBe(1);
    expect(other.comparison?.added.map((f) => f.title)).toEqual(['Key shared with untrusted account 999988887777']);
  });

  it('an input error still exits 2 whatever the baseline says', async () => {
    const list = await items('Resources:\n  Key: {Type: AWS::KMS::Key\n');
    const result = await scanWithGate(scan, source(list), [], options, {});
    expect(result.exitCode).toBe(2);
  });

  it('without template facts nothing is suppressed (keys of snapshots and policies)', async () => {
    const list = await items(example('suppressed.yaml'));
    const result = await scanWithGate(scan, source(list), [], { ...options, failOn: 'medium' }, {});
    expect(result.exitCode).toBe(1);
    const gated = await scanWithGate(
      scan,
      source(await items(example('suppressed.yaml'))),
      [],
      { ...options, failOn: 'medium' },
      {
        templateFacts: templateKeyFacts,
      },
    );
    expect(gated.exitCode).toBe(0);
    const reasons = gated.findings.map((f) => f.suppressed?.reason ?? '');
    expect(reasons[0]).toMatch(/^Metadata\.keywarden\.suppress in template\.yaml: archive key/);
    expect(reasons[1]).toMatch(/^# keywarden:suppress in template\.yaml: 444455556666 is our backup account/);
  });
});
