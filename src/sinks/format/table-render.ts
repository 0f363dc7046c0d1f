/**
 * The terminal table as text (pure): per key a header and its findings, then the keys without findings one line
 * each, then every gap, then the totals line. Colors come from a picocolors instance, so "no color" is exact.
 */
import Table from 'cli-table3';
import type pc from 'picocolors';
import type { ComplianceStatus, KeyReport, RunSummary } from '../../findings/report';
import { type Finding, SEVERITIES, type Severity } from '../../findings/types';
import type { Reach } from '../../kms/access-map';
import { isNotCarried } from '../../kms/known';
import type { Gap } from '../../kms/snapshot';
import { aliasesOf, keyIdOf, logicalIdOf } from '../key-names';
import { compareReports, sortFindings, sortGaps, worstFinding } from '../order';
import { formatEvidence, formatExample, formatGapPlace, oneLine, REACH_BADGE } from './words';

export type Colors = ReturnType<typeof pc.createColors>;

export interface TableLayout {
  colors: Colors;
  /** Total width in columns. */
  width: number;
}

const severityStyle = (c: Colors, severity: Severity): ((s: string) => string) =>
  ({
    critical: (s: string) => c.bold(c.red(s)),
    high: c.red,
    medium: c.yellow,
    low: c.cyan,
    info: c.dim,
  })[severity];

const reachStyle = (c: Colors, reach: Reach): ((s: string) => string) =>
  ({
    public: (s: string) => c.bold(c.inverse(c.red(s))),
    'cross-account': (s: string) => c.bold(c.yellow(s)),
    internal: c.green,
    unknown: c.magenta,
  })[reach];

const complianceStyle = (c: Colors, status: ComplianceStatus): ((s: string) => string) =>
  ({ COMPLIANT: c.green, NON_COMPLIANT: c.red, NOT_APPLICABLE: c.dim })[status];

export const reachBadge = (c: Colors, reach: Reach): string => reachStyle(c, reach)(` ${REACH_BADGE[reach]} `);

/** One line naming the key: aliases, key id, account/region, reach badge, compliance. */
export function keyHeader(report: KeyReport, c: Colors): string {
  const { key, access, compliance } = report;
  const aliases = aliasesOf(key);
  const names =
    aliases.length > 0
      ? aliases.join(', ')
      : key.aliases.ok || isNotCarried(key.aliases)
        ? '(no alias)'
        : '(aliases not read)';
  const logicalId = logicalIdOf(key);
  const parts = [
    c.bold(names),
    logicalId ? `${logicalId} in ${key.origin.file ?? 'template'}` : `key ${keyIdOf(key.arn)}`,
    `${key.account}/${key.region}`,
    reachBadge(c, access.reach),
    complianceStyle(c, compliance.status)(compliance.status),
  ];
  const why = compliance.status === 'COMPLIANT' ? '' : ` ${c.dim(`(${oneLine(compliance.reason)})`)}`;
  const unknownReach =
    access.reach === 'unknown' && access.unknownReason
      ? `\n  ${c.dim(`reach unknown: ${oneLine(access.unknownReason)}`)}`
      : '';
  const external =
    access.externalAccounts.length > 0 ? `\n  external accounts: ${access.externalAccounts.join(', ')}` : '';
  return `${parts.join('  ')}${why}${unknownReach}${external}`;
}

function severityCell(finding: Finding, c: Colors): string {
  const label = severityStyle(c, finding.severity)(finding.severity.toUpperCase());
  const notes = [
    finding.status === 'unknown' ? c.magenta('unknown') : '',
    finding.suppressed ? c.dim('suppressed') : '',
  ]
    .filter(Boolean)
    .join('\n');
  return notes ? `${label}\n${notes}` : label;
}

/** Splits words longer than the column (ARNs, grant ids) so the table wraps them instead of cutting them off. */
export function breakLongWords(text: string, max: number): string {
  return text
    .split(' ')
    .map((word) => (word.length <= max ? word : (word.match(new RegExp(`.{1,${max}}`, 'g')) ?? [word]).join('\n')))
    .join(' ');
}

function detailCell(finding: Finding, c: Colors, width: number): string {
  const fitWords = (text: string) => breakLongWords(oneLine(text), Math.max(10, width - 12));
  const lines = [
    c.bold(fitWords(finding.title)),
    `${c.dim('Evidence:')} ${fitWords(formatEvidence(finding.evidence))}`,
  ];
  if (finding.example) lines.push(`${c.dim('Example:')} ${fitWords(formatExample(finding.example))}`);
  lines.push(`${c.dim('Fix:')} ${fitWords(finding.remediation.summary)}`);
  if (finding.suppressed) {
    const { reason, owner, expires } = finding.suppressed;
    const by = [owner ? `by ${owner}` : '', expires ? `until ${expires}` : ''].filter(Boolean).join(', ');
    lines.push(c.dim(fitWords(`Suppressed: ${reason}${by ? ` (${by})` : ''}`)));
  }
  return lines.join('\n');
}

/** The findings of one key as a bordered table. */
export function findingsTable(findings: readonly Finding[], layout: TableLayout): string {
  const { colors: c, width } = layout;
  const severityWidth = 12;
  const ruleWidth = 30;
  const detailWidth = Math.max(30, width - severityWidth - ruleWidth - 4);
  const table = new Table({
    head: ['Severity', 'Rule', 'Finding'].map((h) => c.bold(h)),
    colWidths: [severityWidth, ruleWidth, detailWidth],
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [] },
  });
  for (const finding of sortFindings(findings)) {
    table.push([severityCell(finding, c), finding.rule, detailCell(finding, c, detailWidth - 2)]);
  }
  return table.toString();
}

/** One short line for a key without findings. */
export function cleanKeyLine(report: KeyReport, c: Colors): string {
  return `  ${c.green('ok')}  ${keyHeader(report, c).split('\n')[0]}`;
}

/** Every gap, one line each: where, then why. */
export function gapLines(gaps: readonly Gap[], c: Colors): string[] {
  return sortGaps(gaps).map((gap) => `  ${c.red('not read')}  ${formatGapPlace(gap)}: ${oneLine(gap.reason)}`);
}

/** `3 keys · 4 findings (1 critical, 2 high, 1 medium) · 1 unknown · 1 suppressed · 2 gaps` */
export function totalsLine(summary: RunSummary, suppressed: number, c: Colors): string {
  const total = SEVERITIES.reduce((n, s) => n + summary.findings[s], 0);
  const bySeverity = SEVERITIES.filter((s) => summary.findings[s] > 0)
    .map((s) => severityStyle(c, s)(`${summary.findings[s]} ${s}`))
    .join(', ');
  const parts = [
    `${summary.keys} ${summary.keys === 1 ? 'key' : 'keys'}`,
    `${total} ${total === 1 ? 'finding' : 'findings'}${bySeverity ? ` (${bySeverity})` : ''}`,
    `${summary.unknown} unknown`,
    `${suppressed} suppressed`,
    `${summary.gaps} ${summary.gaps === 1 ? 'gap' : 'gaps'}`,
  ];
  return c.bold(`Total: ${parts.join(' · ')}`);
}

/** Worst severity first, then ARN: the keys a reader must look at come first. */
function compareByConcern(a: KeyReport, b: KeyReport): number {
  const rank = (r: KeyReport) => {
    const worst = worstFinding(r.findings) ?? sortFindings(r.findings)[0];
    return worst ? SEVERITIES.length - SEVERITIES.indexOf(worst.severity) : 0;
  };
  return rank(b) - rank(a) || compareReports(a, b);
}

/** The whole table output of a run. */
export function renderTable(
  reports: readonly KeyReport[],
  gaps: readonly Gap[],
  summary: RunSummary,
  layout: TableLayout,
): string {
  const c = layout.colors;
  const withFindings = reports.filter((r) => r.findings.length > 0).sort(compareByConcern);
  const clean = reports.filter((r) => r.findings.length === 0).sort(compareReports);
  const blocks: string[] = [];
  for (const report of withFindings) {
    blocks.push(`${keyHeader(report, c)}\n${findingsTable(report.findings, layout)}`);
  }
  if (clean.length > 0) {
    blocks.push(
      [c.bold(`Keys without findings (${clean.length})`), ...clean.map((r) => cleanKeyLine(r, c))].join('\n'),
    );
  }
  if (gaps.length > 0) {
    blocks.push([c.bold(c.red(`Not read (${gaps.length})`)), ...gapLines(gaps, c)].join('\n'));
  }
  const suppressed = reports.reduce((n, r) => n + r.findings.filter((f) => f.suppressed).length, 0);
  blocks.push(totalsLine(summary, suppressed, c));
  return `${blocks.join('\n\n')}\n`;
}
