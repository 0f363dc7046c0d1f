/**
 * `--format sarif`: SARIF 2.1.0 for code review (GitHub code scanning and other viewers), built with
 * node-sarif-builder. One rule per keywarden rule id; one result per finding, located in the file (line/column)
 * when the finding has one, and always logically at the key; the finding id is the partial fingerprint; suppressed
 * findings carry a SARIF suppression; gaps become tool execution notifications. See docs/report-format.md.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';
import type { KeyReport } from '../../findings/report';
import type { Finding } from '../../findings/types';
import type { Gap } from '../../kms/snapshot';
import { sortFindings, sortGaps, sortReports } from '../order';
import { BufferedSink } from './buffered';
import type { ToolInfo } from './json';
import { type RuleDoc, ruleDescriptor, sarifLevel, undocumentedRule } from './sarif-rules';
import type { SarifLocation, SarifLog, SarifNotification, SarifResult, SarifRule } from './sarif-types';
import { formatExample, formatGapPlace, oneLine } from './words';

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** The partialFingerprints entry that carries the finding id. */
export const FINGERPRINT_KEY = 'keywardenFindingId/v1';
/** The uriBaseId of relative file locations: the directory the scan was run from. */
export const SOURCE_ROOT_ID = '%SRCROOT%';

export interface SarifOptions {
  tool: ToolInfo & { informationUri?: string };
  /** Documentation of every rule (the registry's rules); rules without documentation get a minimal descriptor. */
  rules?: readonly RuleDoc[];
  /** Absolute files under this directory are written relative to it (what code review needs). */
  sourceRoot?: string;
}

/** A file path as a SARIF artifact location: relative to the source root when possible, else a file:// URI. */
export function artifactLocation(file: string, sourceRoot?: string): { uri: string; uriBaseId?: string } {
  let path = file;
  if (isAbsolute(path) && sourceRoot) {
    const inside = relative(sourceRoot, path);
    if (!inside.startsWith('..') && !isAbsolute(inside)) path = inside;
  }
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  const uri = path.split(sep).join('/').split('/').map(encodeURIComponent).join('/');
  return { uri, uriBaseId: SOURCE_ROOT_ID };
}

function location(finding: Finding, options: SarifOptions): SarifLocation {
  const { evidence } = finding;
  const logicalLocations = [{ fullyQualifiedName: finding.resource, kind: 'resource' }];
  if (!evidence.file) return { logicalLocations };
  const region =
    evidence.line !== undefined && evidence.line >= 1
      ? {
          startLine: evidence.line,
          ...(evidence.column !== undefined && evidence.column >= 1 ? { startColumn: evidence.column } : {}),
        }
      : undefined;
  return {
    physicalLocation: {
      artifactLocation: artifactLocation(evidence.file, options.sourceRoot),
      ...(region ? { region } : {}),
    },
    logicalLocations,
  };
}

function message(finding: Finding): string {
  const parts = [oneLine(finding.title), oneLine(finding.explanation)];
  if (finding.example) parts.push(`Example: ${formatExample(finding.example)}.`);
  parts.push(`Fix: ${oneLine(finding.remediation.summary)}`);
  return parts.join('\n');
}

function result(finding: Finding, options: SarifOptions): SarifResultBuilder {
  const builder = new SarifResultBuilder();
  const fields: SarifResult = {
    ruleId: finding.rule,
    level: sarifLevel(finding.severity),
    message: { text: message(finding) },
    locations: [location(finding, options)],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.id },
    properties: {
      pointer: finding.evidence.pointer,
      severity: finding.severity,
      status: finding.status,
      ...(finding.evidence.sid ? { sid: finding.evidence.sid } : {}),
      ...(finding.principal ? { principal: finding.principal } : {}),
      ...(finding.actionClass ? { actionClass: finding.actionClass } : {}),
    },
  };
  if (finding.suppressed) {
    const { reason, owner, expires } = finding.suppressed;
    fields.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification: reason,
        ...(owner || expires ? { properties: { ...(owner ? { owner } : {}), ...(expires ? { expires } : {}) } } : {}),
      },
    ];
  }
  Object.assign(builder.result, fields);
  return builder;
}

function notification(gap: Gap, options: SarifOptions): SarifNotification {
  const physical = gap.file
    ? {
        physicalLocation: {
          artifactLocation: artifactLocation(gap.file, options.sourceRoot),
          ...(gap.line !== undefined && gap.line >= 1
            ? {
                region: {
                  startLine: gap.line,
                  ...(gap.column !== undefined && gap.column >= 1 ? { startColumn: gap.column } : {}),
                },
              }
            : {}),
        },
      }
    : undefined;
  return {
    level: 'error',
    message: { text: `${formatGapPlace(gap)}: ${oneLine(gap.reason)}` },
    ...(physical ? { locations: [physical] } : {}),
    ...(gap.pointer ? { properties: { pointer: gap.pointer } } : {}),
  };
}

/** Every documented rule, plus one for each rule id that only appears in findings; sorted by id. */
function rulesFor(findings: readonly Finding[], docs: readonly RuleDoc[]): SarifRule[] {
  const rules = new Map<string, SarifRule>(docs.map((doc) => [doc.id, ruleDescriptor(doc)]));
  for (const finding of findings) {
    if (!rules.has(finding.rule)) rules.set(finding.rule, undocumentedRule(finding));
  }
  return [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The SARIF log of a run (pure apart from node-sarif-builder's bookkeeping). */
export function toSarifLog(reports: readonly KeyReport[], gaps: readonly Gap[], options: SarifOptions): SarifLog {
  const findings = sortReports(reports).flatMap((report) => sortFindings(report.findings));
  const run = new SarifRunBuilder().initSimple({
    toolDriverName: options.tool.name,
    toolDriverVersion: options.tool.version,
    ...(options.tool.informationUri ? { url: options.tool.informationUri } : {}),
  });
  for (const rule of rulesFor(findings, options.rules ?? [])) {
    const builder = new SarifRuleBuilder();
    builder.rule = rule;
    run.addRule(builder);
  }
  for (const finding of findings) run.addResult(result(finding, options));
  run.run.invocations = [
    {
      executionSuccessful: true,
      toolExecutionNotifications: sortGaps(gaps).map((gap) => notification(gap, options)),
    },
  ];
  const log = new SarifBuilder({ $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [] });
  log.addRun(run);
  return log.buildSarifOutput();
}

export class SarifSink extends BufferedSink {
  constructor(out: Writable, options: SarifOptions) {
    super(out, (reports, gaps) => `${JSON.stringify(toSarifLog(reports, gaps, options), null, 2)}\n`);
  }
}
