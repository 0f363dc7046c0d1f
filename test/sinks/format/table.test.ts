import { describe, expect, it } from 'vitest';
import { createFormatSink } from '../../../src/sinks/format/index';
import { useColor } from '../../../src/sinks/format/output';
import { TableSink } from '../../../src/sinks/format/table';
import { loadGaps, loadReports } from '../fixtures/load';
import { ANSI, CaptureStream, stripAnsi } from '../helpers/capture';

async function render(out: CaptureStream, options: ConstructorParameters<typeof TableSink>[1] = {}) {
  const sink = new TableSink(out, { width: 120, ...options });
  for (const report of loadReports()) await sink.write(report);
  for (const gap of loadGaps()) await sink.gap(gap);
  const summary = await sink.close();
  return { text: out.text, summary };
}

const lineWith = (text: string, needle: string) => text.split('\n').find((line) => line.includes(needle)) ?? '';

describe('table format', () => {
  it('prints a header per key with aliases, key id, account/region, reach badge and compliance', async () => {
    const { text } = await render(new CaptureStream());
    const header = lineWith(text, 'alias/reports-public');
    expect(header).toContain('key 1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(header).toContain('111122223333/us-east-1');
    expect(header).toContain(' PUBLIC ');
    expect(header).toContain('NON_COMPLIANT');
    const shared = lineWith(text, 'alias/shared-logs');
    expect(shared).toContain('alias/shared-logs, alias/shared-logs-legacy');
    expect(shared).toContain('CROSS-ACCOUNT');
    expect(text).toContain('external accounts: 444455556666');
    const unreadable = lineWith(text, '5555eeee-66ff-77aa-88bb-99cc00dd11ee');
    expect(unreadable).toContain('UNKNOWN');
    expect(unreadable).toContain('(aliases not read)');
    expect(text).toContain('reach unknown: the key policy could not be read (AccessDeniedException)');
  });

  it('lists each finding with severity, rule, title, evidence, example request, fix and suppression', async () => {
    const { text } = await render(new CaptureStream());
    const flat = text.replace(/[│\s]+/g, ' ');
    expect(flat).toContain('CRITICAL public-key Anyone on the internet can decrypt with this key');
    expect(flat).toContain(
      'Evidence: Sid "AllowEveryone" at /Statement/1 in examples/demo-account/reports-public.json:14:7',
    );
    expect(flat).toContain(
      'Example: arn:aws:iam::999988887777:user/outsider can call kms:Decrypt (aws:PrincipalAccount=999988887777)',
    );
    expect(flat).toContain('Fix: Remove statement "AllowEveryone"');
    expect(flat).toContain('Suppressed: Break-glass role, reviewed quarterly (by security-team, until 2026-12-31)');
    expect(flat).toContain(
      'HIGH policy-unreadable The key policy could not be read unknown Evidence: at /GetKeyPolicy',
    );
    // the long grant id is wrapped, never cut off
    expect(text.replace(/[│\s]/g, '')).toContain('0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60');
    expect(text).not.toContain('…');
  });

  it('puts the worst keys first and prints keys without findings on one short line each', async () => {
    const { text } = await render(new CaptureStream());
    const publicAt = text.indexOf('alias/reports-public');
    const sharedAt = text.indexOf('alias/shared-logs');
    const cleanAt = text.indexOf('Keys without findings (1)');
    expect(publicAt).toBeGreaterThanOrEqual(0);
    expect(publicAt).toBeLessThan(sharedAt);
    expect(sharedAt).toBeLessThan(cleanAt);
    const clean = lineWith(text, 'alias/payroll');
    expect(clean).toMatch(
      /^ {2}ok {2}alias\/payroll {2}key 0987dcba-09fe-87dc-65ba-ab0987654321 {2}111122223333\/us-east-1/,
    );
    expect(clean).toContain('INTERNAL');
    expect(clean).toContain('COMPLIANT');
    expect(text.split('\n').filter((line) => line.includes('alias/payroll'))).toHaveLength(1);
  });

  it('lists every gap with where and why, then the totals line', async () => {
    const { text, summary } = await render(new CaptureStream());
    expect(text).toContain('Not read (3)');
    expect(text).toContain('snapshots/broken.json:3:15 /GetKeyPolicy: Unexpected token } in JSON');
    expect(text).toContain('111122223333/ap-southeast-2: ListKeys was denied (AccessDeniedException)');
    expect(text).toContain(
      '111122223333/us-east-1 key arn:aws:kms:us-east-1:111122223333:key/deadbeef-0000-4000-8000-00000000beef: DescribeKey failed',
    );
    const lines = text.trimEnd().split('\n');
    expect(lines.at(-1)).toBe(
      'Total: 4 keys · 5 findings (1 critical, 3 high, 1 medium) · 1 unknown · 1 suppressed · 3 gaps',
    );
    expect(summary).toEqual({
      keys: 4,
      findings: { critical: 1, high: 3, medium: 1, low: 0, info: 0 },
      unknown: 1,
      gaps: 3,
    });
  });

  it('uses no color when the stream is not a terminal, and colors on a terminal', async () => {
    const plain = await render(new CaptureStream(), { env: {} });
    expect(plain.text).not.toMatch(ANSI);
    const terminal = await render(new CaptureStream({ columns: 120 }), { env: {} });
    expect(terminal.text).toMatch(ANSI);
    expect(stripAnsi(terminal.text)).toBe(plain.text);
  });

  it('honours NO_COLOR and --no-color on a terminal, and FORCE_COLOR off one', async () => {
    const noColor = await render(new CaptureStream({ columns: 120 }), { env: { NO_COLOR: '1' } });
    expect(noColor.text).not.toMatch(ANSI);
    const flag = await render(new CaptureStream({ columns: 120 }), { color: false, env: {} });
    expect(flag.text).not.toMatch(ANSI);
    expect(useColor(new CaptureStream(), { env: { FORCE_COLOR: '1' } })).toBe(true);
    expect(useColor(new CaptureStream({ columns: 80 }), { env: { NO_COLOR: '' } })).toBe(true);
  });

  it('lays the table out to the terminal width', async () => {
    const narrow = await render(new CaptureStream({ columns: 90 }), { color: false, width: undefined });
    const widest = Math.max(
      ...narrow.text.split('\n').map((line) => (line.startsWith('│') || line.startsWith('┌') ? line.length : 0)),
    );
    expect(widest).toBeLessThanOrEqual(90);
  });

  it('names a template key by its logical id and file', async () => {
    const out = new CaptureStream();
    const sink = new TableSink(out, { color: false });
    const report = loadReports()[1]!;
    report.key.origin = { kind: 'template', file: 'templates/logs.yaml', logicalId: 'SharedLogsKey' };
    report.key.aliases = { ok: false, reason: 'not carried by this input' };
    await sink.write(report);
    await sink.close();
    expect(lineWith(out.text, 'SharedLogsKey')).toMatch(
      /^\(no alias\) {2}SharedLogsKey in templates\/logs.yaml {2}111122223333\/eu-west-1/,
    );
  });

  it('prints an empty run as just the totals', async () => {
    const out = new CaptureStream();
    const sink = createFormatSink('table', out, { tool: { name: 'keywarden', version: '0.0.0' }, color: false });
    expect(await sink.close()).toEqual({
      keys: 0,
      findings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      unknown: 0,
      gaps: 0,
    });
    expect(out.text).toBe('Total: 0 keys · 0 findings · 0 unknown · 0 suppressed · 0 gaps\n');
  });

  it('refuses to be used after close', async () => {
    const sink = new TableSink(new CaptureStream(), { color: false });
    await sink.close();
    await expect(sink.write(loadReports()[0]!)).rejects.toThrow(/already closed/);
  });
});
