/**
 * SARIF rule descriptors from keywarden's rule documentation, and the one mapping of severities to SARIF levels.
 * The CLI passes the registry's rules in (anything shaped like `RuleDoc`); sinks never import the registry.
 */
import type { Finding, Severity } from '../../findings/types';
import type { SarifLevel, SarifRule } from './sarif-types';

/** What a rule tells about itself: the fields of the rule registry that reports need. */
export interface RuleDoc {
  id: string;
  title: string;
  severity: Severity;
  docs: { why: string; fix: string; references: string[] };
}

/** critical/high = error, medium = warning, low/info = note. */
export const sarifLevel = (severity: Severity): SarifLevel =>
  severity === 'critical' || severity === 'high' ? 'error' : severity === 'medium' ? 'warning' : 'note';

/** GitHub code scanning's `security-severity` score bands (critical >= 9, high >= 7, medium >= 4, low > 0). */
const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: undefined,
};

/** `separation-of-duties` -> `SeparationOfDuties` (SARIF's `name` is an identifier-like label). */
export const ruleName = (id: string): string =>
  id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');

const isUrl = (text: string): boolean => /^https?:\/\/\S+$/.test(text);

function helpText(doc: RuleDoc): { text: string; markdown: string } {
  const refs = doc.docs.references;
  const text = [
    doc.docs.why,
    `How to fix: ${doc.docs.fix}`,
    ...(refs.length ? [`References:\n${refs.map((r) => `- ${r}`).join('\n')}`] : []),
  ];
  const markdown = [
    `**${doc.title}**`,
    doc.docs.why,
    `**How to fix:** ${doc.docs.fix}`,
    ...(refs.length ? [`**References:**\n${refs.map((r) => (isUrl(r) ? `- <${r}>` : `- ${r}`)).join('\n')}`] : []),
  ];
  return { text: text.join('\n\n'), markdown: markdown.join('\n\n') };
}

function tagsFor(severity: Severity): Record<string, unknown> {
  const score = SECURITY_SEVERITY[severity];
  return { tags: ['security', 'aws-kms'], precision: 'high', ...(score ? { 'security-severity': score } : {}) };
}

export function ruleDescriptor(doc: RuleDoc): SarifRule {
  const helpUri = doc.docs.references.find(isUrl);
  return {
    id: doc.id,
    name: ruleName(doc.id),
    shortDescription: { text: doc.title },
    fullDescription: { text: doc.docs.why },
    help: helpText(doc),
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: sarifLevel(doc.severity) },
    properties: tagsFor(doc.severity),
  };
}

/** A descriptor for a rule id that no documentation was passed for (a finding still needs its rule). */
export function undocumentedRule(finding: Finding): SarifRule {
  return {
    id: finding.rule,
    name: ruleName(finding.rule),
    shortDescription: { text: finding.title },
    fullDescription: { text: `keywarden rule ${finding.rule}.` },
    defaultConfiguration: { level: sarifLevel(finding.severity) },
    properties: tagsFor(finding.severity),
  };
}
