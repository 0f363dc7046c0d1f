/**
 * CI use of a scan: a pull request fails only on findings that are new. A baseline file (written by
 * `--write-baseline`) lists the finding ids of an accepted state; ids are stable fingerprints (rule, resource,
 * principal, action class, Sid; never file or line), so moving a statement keeps its id. Inline suppressions of
 * templates (`Metadata.keywarden.suppress`, `# keywarden:suppress`) mark their findings suppressed. Both are applied
 * between the analysis and the sinks: suppressed findings are reported, and do not fail the run. See docs/ci.md.
 */
import type { KeyReport, RunSummary } from '../findings/report';
import type { Finding } from '../findings/types';
import type { Gap, KeySnapshot, SourceItem } from '../kms/snapshot';
import { compliance, type DisabledKeys } from '../rules/engine';
import type { Sink } from '../sinks/sink';
import { exitCodeFor, type ScanOptions, type ScanResult } from './scan';

export const BASELINE_FORMAT = 'keywarden.baseline/v1';

export interface BaselineEntry {
  id: string;
  rule: string;
  resource: string;
  severity: string;
  title: string;
  file?: string;
}

export interface Baseline {
  format: typeof BASELINE_FORMAT;
  createdAt: string;
  findings: BaselineEntry[];
}

/** A suppression written in a template next to the key. */
export interface InlineSuppression {
  rule: string;
  reason: string;
  /** `Metadata.keywarden.suppress` or `# keywarden:suppress`. */
  written: string;
}

export type BaselineRead = { ok: true; baseline: Baseline } | { ok: false; message: string };

/** Reads a baseline file's text; a wrong file is an error naming what to do. */
export function parseBaseline(text: string, file: string): BaselineRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `${file}: not JSON (${(e as Error).message}); write it with --write-baseline` };
  }
  const v = value as Partial<Baseline> | null;
  if (typeof v !== 'object' || v === null || v.format !== BASELINE_FORMAT || !Array.isArray(v.findings)) {
    return {
      ok: false,
      message: `${file}: not a keywarden baseline (expected {"format": "${BASELINE_FORMAT}", "findings": [...]}); write it with --write-baseline`,
    };
  }
  const bad = v.findings.findIndex((f) => typeof f !== 'object' || f === null || typeof f.id !== 'string');
  if (bad >= 0) return { ok: false, message: `${file}: findings[${bad}] has no "id" string` };
  return { ok: true, baseline: v as Baseline };
}

const byId = (a: BaselineEntry, b: BaselineEntry): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The baseline of a run: every finding that would fail it (not suppressed), sorted by id. */
export function baselineOf(findings: readonly Finding[], createdAt: string): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const f of findings) {
    if (f.suppressed) continue;
    entries.set(f.id, {
      id: f.id,
      rule: f.rule,
      resource: f.resource,
      severity: f.severity,
      title: f.title,
      ...(f.evidence.file ? { file: f.evidence.file } : {}),
    });
  }
  return { format: BASELINE_FORMAT, createdAt, findings: [...entries.values()].sort(byId) };
}

export const serialiseBaseline = (baseline: Baseline): string => `${JSON.stringify(baseline, null, 2)}\n`;

/** What a template says about its key (src/sources/iac/to-snapshots.ts `templateKeyFacts`). */
export interface TemplateKeyFacts {
  suppressions: readonly InlineSuppression[];
  /** Where the key resource is declared: the place of findings about the key as a whole (rotation, state). */
  location?: { line?: number; column?: number };
}

export interface CiGateOptions {
  /** The accepted findings, and the file they were read from (named in the suppression reason). */
  baseline?: { file: string; baseline: Baseline };
  /** Template facts of a key; undefined for keys that do not come from a template. */
  templateFacts?: (snapshot: KeySnapshot) => TemplateKeyFacts | undefined;
}

export interface BaselineComparison {
  /** Findings that would fail the run and are not in the baseline. */
  added: Finding[];
  /** Findings of the baseline found again (marked suppressed). */
  unchanged: number;
  /** Baseline entries not found in this run (fixed, or their key was not scanned). */
  resolved: BaselineEntry[];
}

export interface CiScanResult extends ScanResult {
  /** Every finding as the sinks received it (inline suppressions and baseline applied). */
  findings: Finding[];
  /** Findings before the baseline was applied: what `--write-baseline` records. */
  current: Finding[];
  comparison?: BaselineComparison;
}

/** A finding about the key as a whole (no statement) is placed on the line that declares the key. */
function placeOnKey(finding: Finding, facts: TemplateKeyFacts | undefined): Finding {
  const line = facts?.location?.line;
  if (line === undefined || finding.evidence.line !== undefined || finding.evidence.pointer.startsWith('/'))
    return finding;
  const column = facts?.location?.column;
  return { ...finding, evidence: { ...finding.evidence, line, ...(column !== undefined ? { column } : {}) } };
}

function inlineSuppress(finding: Finding, suppressions: readonly InlineSuppression[], file?: string): Finding {
  if (finding.suppressed) return finding;
  const match = suppressions.find((s) => s.rule === finding.rule);
  if (!match) return finding;
  return { ...finding, suppressed: { reason: `${match.written}${file ? ` in ${file}` : ''}: ${match.reason}` } };
}

/** One sink in front of the run's sinks: applies the inline suppressions and the baseline once per report. */
class GateSink implements Sink {
  readonly findings: Finding[] = [];
  readonly current: Finding[] = [];
  readonly added: Finding[] = [];
  readonly seen = new Set<string>();
  unchanged = 0;
  private readonly accepted: Set<string>;

  constructor(
    private readonly sinks: readonly Sink[],
    private readonly options: CiGateOptions,
    private readonly disabledKeys: DisabledKeys | undefined,
  ) {
    this.accepted = new Set(options.baseline?.baseline.findings.map((f) => f.id) ?? []);
  }

  async write(report: KeyReport): Promise<void> {
    const facts = this.options.templateFacts?.(report.key);
    const baseline = this.options.baseline;
    const findings = report.findings.map((original) => {
      const f = inlineSuppress(placeOnKey(original, facts), facts?.suppressions ?? [], report.key.origin.file);
      this.current.push(f);
      this.seen.add(f.id);
      if (f.suppressed || !baseline) return f;
      if (!this.accepted.has(f.id)) {
        this.added.push(f);
        return f;
      }
      this.unchanged++;
      return {
        ...f,
        suppressed: { reason: `in the baseline ${baseline.file} (accepted ${baseline.baseline.createdAt})` },
      };
    });
    this.findings.push(...findings);
    const changed = findings.some((f, i) => f !== report.findings[i]);
    const out = changed ? { ...report, findings, compliance: this.judge(report, findings) } : report;
    for (const sink of this.sinks) await sink.write(out);
  }

  /** Compliance judged again once suppressions changed (the engine's rule: unknown data never turns compliant). */
  private judge(report: KeyReport, findings: Finding[]): KeyReport['compliance'] {
    const { key } = report;
    const analysed = {
      snapshot: key,
      access: report.access,
      policy: key.policy.ok ? key.policy.value : undefined,
      grants: key.grants.ok ? key.grants.value : undefined,
    };
    return compliance(analysed, findings, { disabledKeys: this.disabledKeys });
  }

  async gap(gap: Gap): Promise<void> {
    for (const sink of this.sinks) await sink.gap(gap);
  }

  async close(): Promise<RunSummary> {
    let summary: RunSummary | undefined;
    for (const sink of this.sinks) {
      const s = await sink.close();
      summary ??= s;
    }
    return summary ?? { keys: 0, findings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, unknown: 0, gaps: 0 };
  }
}

export type ScanFunction = (
  source: AsyncIterable<SourceItem>,
  sinks: Sink[],
  options: ScanOptions,
) => Promise<ScanResult>;

/**
 * Runs `scan` with the CI gate in front of its sinks. The exit code counts only findings that are neither
 * suppressed nor in the baseline (2 still wins when an input could not be read).
 */
export async function scanWithGate(
  scan: ScanFunction,
  source: AsyncIterable<SourceItem>,
  sinks: Sink[],
  options: ScanOptions,
  gate: CiGateOptions,
): Promise<CiScanResult> {
  const sink = new GateSink(sinks, gate, options.disabledKeys);
  const result = await scan(source, [sink], options);
  const comparison = gate.baseline
    ? {
        added: sink.added,
        unchanged: sink.unchanged,
        resolved: gate.baseline.baseline.findings.filter((f) => !sink.seen.has(f.id)),
      }
    : undefined;
  return {
    ...result,
    exitCode: exitCodeFor(result.gaps.length > 0, sink.findings, options.failOn),
    findings: sink.findings,
    current: sink.current,
    ...(comparison ? { comparison } : {}),
  };
}
