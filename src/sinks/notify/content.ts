/**
 * The content of a notification as neutral sections (pure). The plain-text and HTML renderers print the same
 * sections, so the two bodies never say different things.
 */
import type { Finding } from '../../findings/types';
import { formatEvidence, formatExample, oneLine } from '../format/words';
import { keyIdOf } from '../key-names';
import { sortFindings } from '../order';
import type { ChangeActor, KeyRef } from './types';

export interface Row {
  label: string;
  value: string;
  /** A link for the value (only URLs keywarden built itself). */
  href?: string;
}

export interface Section {
  heading: string;
  rows: Row[];
  /** Preformatted text shown after the rows (the corrected policy). */
  pre?: string;
}

export interface Content {
  intro: string;
  sections: Section[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The name a reader knows the key by: its first alias, else its key id. */
export const keyName = (key: KeyRef): string => oneLine(key.aliases?.[0] ?? keyIdOf(key.arn));

function keySection(key: KeyRef, consoleUrl: string | undefined): Section {
  const rows: Row[] = [{ label: 'Key', value: key.arn }];
  if (key.aliases && key.aliases.length > 0) rows.push({ label: 'Aliases', value: key.aliases.join(', ') });
  if (key.account) rows.push({ label: 'Account', value: key.account });
  if (key.region) rows.push({ label: 'Region', value: key.region });
  if (consoleUrl) rows.push({ label: 'Console', value: consoleUrl, href: consoleUrl });
  return { heading: 'Key', rows };
}

function changeSection(change: ChangeActor): Section {
  const rows: Row[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value) rows.push({ label, value });
  };
  add('Changed by', change.principalArn ?? change.identityType);
  add('Role', change.sessionIssuerArn);
  add(
    'Call',
    change.eventName ? `${change.eventName}${change.errorCode ? ` (failed: ${change.errorCode})` : ''}` : undefined,
  );
  add('When', change.eventTime);
  add('Source IP', change.sourceIp);
  add('User agent', change.userAgent);
  add('CloudTrail event', change.eventId);
  return { heading: 'Who changed it', rows };
}

export function findingHeading(finding: Finding): string {
  const notes = [
    finding.status === 'unknown' ? 'could not tell: data missing' : '',
    finding.suppressed ? `suppressed: ${finding.suppressed.reason}` : '',
  ].filter(Boolean);
  return oneLine(
    `[${finding.severity.toUpperCase()}] ${finding.rule}: ${finding.title}${notes.length ? ` (${notes.join('; ')})` : ''}`,
  );
}

function findingSection(finding: Finding): Section {
  const rows: Row[] = [
    { label: 'What', value: oneLine(finding.explanation) },
    { label: 'Evidence', value: formatEvidence(finding.evidence) },
  ];
  if (finding.example) rows.push({ label: 'Example', value: formatExample(finding.example) });
  rows.push({ label: 'Fix', value: oneLine(finding.remediation.summary) });
  rows.push({ label: 'Finding id', value: finding.id });
  const fixed = finding.remediation.fixedPolicy;
  return {
    heading: findingHeading(finding),
    rows,
    ...(fixed ? { pre: `Corrected policy:\n${JSON.stringify(fixed, null, 2)}` } : {}),
  };
}

export function buildContent(
  findings: readonly Finding[],
  resolved: readonly Finding[],
  key: KeyRef,
  change: ChangeActor | undefined,
  consoleUrl: string | undefined,
): Content {
  const name = keyName(key);
  const what = [
    findings.length > 0 ? `${plural(findings.length, 'new finding')}` : '',
    resolved.length > 0 ? `${plural(resolved.length, 'resolved finding')}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const sections: Section[] = [keySection(key, consoleUrl)];
  if (change && Object.keys(change).length > 0) sections.push(changeSection(change));
  sections.push(...sortFindings(findings).map(findingSection));
  if (resolved.length > 0) {
    sections.push({
      heading: 'Resolved',
      rows: sortFindings(resolved).map((f) => ({ label: f.id, value: findingHeading(f) })),
    });
  }
  return { intro: `keywarden: ${what || 'no change'} on KMS key ${name}.`, sections };
}
