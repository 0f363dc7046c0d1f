/**
 * What `keywarden watch --event` prints, in scan's formats: the table of the key as of each event followed by what
 * is new, unchanged and resolved, the attack signals, the alerts and the AWS calls that failed; JSON
 * `keywarden.watch/v1` (each event with the scan's `keywarden.report/v1` report of its key); SARIF with each
 * result's `baselineState` (new, unchanged, absent = resolved). Exit codes as scan's.
 */
import type { Writable } from 'node:stream';
import type { KeyReport } from '../findings/report';
import { type Finding, severityRank } from '../findings/types';
import { unknownAccess } from '../kms/access';
import type { Gap } from '../kms/snapshot';
import { readSnapshotRecord } from '../kms/snapshot-read';
import type { Format } from '../sinks/format';
import { type ToolInfo, toJsonReport } from '../sinks/format/json';
import { jsonFinding } from '../sinks/format/json-key';
import { writeText } from '../sinks/format/output';
import { toSarifLog } from '../sinks/format/sarif';
import type { RuleDoc } from '../sinks/format/sarif-rules';
import { TableSink } from '../sinks/format/table';
import { sortFindings } from '../sinks/order';
import type { FailOn } from './scan';
import type { AnalysedEvent, WatchOutcome } from './watch';
import { whereIs } from './watch-events';

export const WATCH_FORMAT = 'keywarden.watch/v1';

export interface RenderOptions {
  format: Format;
  tool: ToolInfo;
  rules: readonly RuleDoc[];
  color?: boolean;
  width?: number;
  generatedAt?: string;
}

/** The key report an output shows for an event: its key's findings plus the event's attack signals. */
export function reportOf(outcome: AnalysedEvent): KeyReport | undefined {
  if (outcome.report) return { ...outcome.report, findings: [...outcome.report.findings, ...outcome.detections] };
  if (outcome.detections.length === 0 || !outcome.keyArn) return undefined;
  const { account, region, keyId } = whereIs(outcome.keyArn);
  const { snapshot } = readSnapshotRecord(
    {
      format: 'keywarden.snapshot/v1',
      account,
      region,
      DescribeKey: { error: { code: 'NotRead', message: 'the call failed: the key was not read' } },
    },
    { kind: 'event' },
  );
  return {
    key: { ...snapshot, arn: outcome.keyArn, collectedAt: outcome.event.time },
    access: unknownAccess(`the ${outcome.event.eventName} call failed; key ${keyId} was not read`),
    findings: outcome.detections,
    compliance: { status: 'NOT_APPLICABLE', reason: 'the call failed: the key did not change' },
  };
}

/** The gap of an event whose key could not be read from AWS at all. */
export function gapOf(outcome: AnalysedEvent): Gap | undefined {
  if (!outcome.awsUnreachable || !outcome.keyArn) return undefined;
  const { account, region } = whereIs(outcome.keyArn);
  const calls = outcome.failedCalls.map((c) => `${c.call} (${c.code}: ${c.message})`).join('; ');
  return {
    gap: true,
    account,
    region,
    key: outcome.keyArn,
    reason: `AWS could not be reached, so only what the event shows was analysed; calls that failed: ${calls}`,
  };
}

/** Findings that count for the exit code: what this event made new (and its attack signals). */
export function newOf(outcome: WatchOutcome): Finding[] {
  if (outcome.status !== 'analysed') return [];
  const fresh =
    outcome.diff.kind === 'recorded' ? outcome.diff.new : outcome.diff.kind === 'late' ? outcome.diff.transient : [];
  return [...fresh, ...outcome.detections];
}

/** 2: an event could not be handled or its key not read; 1: a new finding at or above failOn; else 0. */
export function watchExitCode(outcomes: readonly WatchOutcome[], failOn: FailOn): 0 | 1 | 2 {
  const unreadable = outcomes.some((o) => o.status === 'kept' || (o.status === 'analysed' && o.awsUnreachable));
  if (unreadable) return 2;
  if (failOn === 'none') return 0;
  const threshold = severityRank(failOn);
  return outcomes.some((o) => newOf(o).some((f) => !f.suppressed && severityRank(f.severity) >= threshold)) ? 1 : 0;
}

const ids = (findings: readonly Finding[]): string[] => findings.map((f) => f.id).sort();

/** One event as JSON (the report embedded is scan's `keywarden.report/v1`). */
export function watchJson(outcome: WatchOutcome, options: RenderOptions): Record<string, unknown> {
  if (outcome.status === 'kept') return { status: 'kept', reason: outcome.reason, messageId: outcome.messageId };
  if (outcome.status === 'duplicate') return { status: 'duplicate', eventId: outcome.eventId, event: outcome.event };
  const report = reportOf(outcome);
  const gap = gapOf(outcome);
  const diff = outcome.diff;
  return {
    status: 'analysed',
    event: outcome.event,
    ...(outcome.keyArn ? { key: outcome.keyArn } : {}),
    failed: outcome.failed,
    duplicate: outcome.duplicate,
    diff:
      diff.kind === 'recorded'
        ? {
            kind: diff.kind,
            at: diff.at,
            new: ids(diff.new),
            unchanged: ids(diff.unchanged),
            resolved: diff.resolved.map(jsonFinding),
          }
        : diff.kind === 'late'
          ? {
              kind: diff.kind,
              at: diff.at,
              latestAt: diff.latestAt,
              transient: ids(diff.transient),
              known: ids(diff.known),
            }
          : diff,
    detections: outcome.detections.map(jsonFinding),
    alerts: outcome.alerts,
    failedCalls: outcome.failedCalls,
    awsUnreachable: outcome.awsUnreachable,
    ...(outcome.basis ? { basis: outcome.basis } : {}),
    notes: outcome.notes,
    report: report
      ? toJsonReport([report], gap ? [gap] : [], {
          tool: options.tool,
          ...(options.generatedAt ? { generatedAt: options.generatedAt } : {}),
        })
      : null,
  };
}

type SarifLogShape = {
  runs: Array<{
    results?: Array<{ partialFingerprints?: Record<string, string>; baselineState?: string }>;
    tool: { driver: { rules?: Array<{ id: string }> } };
    invocations?: Array<{ toolExecutionNotifications?: unknown[] }>;
  }>;
};

/** One SARIF log for the events: each event's results marked new, unchanged or absent (resolved by that event). */
function sarifOf(outcomes: readonly WatchOutcome[], options: RenderOptions): unknown {
  const analysed = outcomes.filter((o): o is AnalysedEvent => o.status === 'analysed');
  const sarif = (reports: KeyReport[], gaps: Gap[]) =>
    toSarifLog(reports, gaps, { tool: options.tool, rules: options.rules }) as unknown as SarifLogShape;
  const merged = sarif([], []);
  const run = merged.runs[0]!;
  const ruleIds = new Set((run.tool.driver.rules ?? []).map((r) => r.id));
  run.results = [];
  const add = (log: SarifLogShape['runs'][number], state: (id: string) => string) => {
    for (const rule of log.tool.driver.rules ?? []) {
      if (!ruleIds.has(rule.id)) run.tool.driver.rules = [...(run.tool.driver.rules ?? []), rule];
      ruleIds.add(rule.id);
    }
    for (const result of log.results ?? []) {
      result.baselineState = state(Object.values(result.partialFingerprints ?? {})[0] ?? '');
      run.results?.push(result);
    }
    const notifications = log.invocations?.[0]?.toolExecutionNotifications ?? [];
    if (notifications.length > 0 && run.invocations?.[0]) {
      run.invocations[0].toolExecutionNotifications = [
        ...(run.invocations[0].toolExecutionNotifications ?? []),
        ...notifications,
      ];
    }
  };
  for (const outcome of analysed) {
    const report = reportOf(outcome);
    const gap = gapOf(outcome);
    const fresh = new Set(newOf(outcome).map((f) => f.id));
    if (report || gap) {
      add(sarif(report ? [report] : [], gap ? [gap] : []).runs[0]!, (id) => (fresh.has(id) ? 'new' : 'unchanged'));
    }
    const resolved = outcome.diff.kind === 'recorded' ? outcome.diff.resolved : [];
    if (report && resolved.length > 0) add(sarif([{ ...report, findings: resolved }], []).runs[0]!, () => 'absent');
  }
  return merged;
}

const line = (label: string, findings: readonly Finding[]): string =>
  findings.length === 0
    ? `  ${label}: none`
    : `  ${label}:\n${sortFindings(findings)
        .map((f) => `    ${f.severity.toUpperCase()} ${f.rule} ${f.id}: ${f.title}`)
        .join('\n')}`;

async function tableOf(outcome: WatchOutcome, out: Writable, options: RenderOptions): Promise<void> {
  if (outcome.status === 'kept') {
    await writeText(out, `Event kept, not analysed: ${outcome.reason} (stored as ${outcome.messageId})\n`);
    return;
  }
  if (outcome.status === 'duplicate') {
    await writeText(out, `Event ${outcome.eventId} was already processed: skipped\n`);
    return;
  }
  const e = outcome.event;
  await writeText(
    out,
    `${e.eventName}${outcome.failed ? ` (failed: ${e.errorCode})` : ''} on ${outcome.keyArn ?? 'an unnamed key'} by ${e.caller} at ${e.time}${e.eventID ? ` (event ${e.eventID})` : ''}${outcome.duplicate ? ' [replay of a processed event]' : ''}\n\n`,
  );
  const report = reportOf(outcome);
  if (report) {
    const sink = new TableSink(out, { color: options.color, ...(options.width ? { width: options.width } : {}) });
    await sink.write(report);
    const gap = gapOf(outcome);
    if (gap) await sink.gap(gap);
    await sink.close();
  }
  const d = outcome.diff;
  const parts = ['Compared with what keywarden knew:'];
  if (d.kind === 'recorded') {
    parts.push(line('new', d.new), line('resolved', d.resolved), `  unchanged: ${d.unchanged.length}`);
  } else if (d.kind === 'late') {
    parts.push(`  this event is older than the key state recorded at ${d.latestAt}: nothing changed in memory`);
    parts.push(line('short-lived exposures only this event shows', d.transient));
  } else parts.push(`  not recorded: ${d.reason}`);
  parts.push(line('attack signals', outcome.detections));
  parts.push(
    `  alerts: ${outcome.alerts.ids.length} (${outcome.alerts.enqueued.length} queued now, ${outcome.alerts.known.length} already queued before)`,
  );
  if (outcome.failedCalls.length > 0) {
    parts.push(
      `  AWS calls that failed:\n${outcome.failedCalls.map((c) => `    ${c.call}: ${c.code}: ${c.message}`).join('\n')}`,
    );
  }
  for (const note of outcome.notes) parts.push(`  note: ${note}`);
  await writeText(out, `${parts.join('\n')}\n\n`);
}

export async function renderWatch(
  outcomes: readonly WatchOutcome[],
  out: Writable,
  options: RenderOptions,
): Promise<void> {
  if (options.format === 'json') {
    const doc = { format: WATCH_FORMAT, events: outcomes.map((o) => watchJson(o, options)) };
    await writeText(out, `${JSON.stringify(doc, null, 2)}\n`);
  } else if (options.format === 'sarif') {
    await writeText(out, `${JSON.stringify(sarifOf(outcomes, options), null, 2)}\n`);
  } else {
    for (const outcome of outcomes) await tableOf(outcome, out, options);
  }
}
