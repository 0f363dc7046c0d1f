/**
 * The notification message (pure): subject, plain text, HTML and JSON payload for new (and resolved) findings on
 * one key, with who changed it and a console link. Every channel sends this one message in its own shape.
 */
import type { Finding, Severity } from '../../findings/types';
import type { KeySnapshot } from '../../kms/snapshot';
import { jsonFinding } from '../format/json-key';
import { oneLine } from '../format/words';
import { aliasesOf } from '../key-names';
import { sortFindings, worstFinding } from '../order';
import { arnParts, consoleUrlForKey } from './console-link';
import { buildContent, keyName } from './content';
import { renderHtml, renderText } from './render';
import { type KeyRef, NOTIFICATION_FORMAT, type NotificationInput, type NotificationMessage } from './types';

/** SNS rejects subjects of 100 characters or more; e-mail clients show about this much. */
export const SUBJECT_MAX = 99;

/** Fits text into `max` characters (code points), ending with "..." when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 3).join('')}...`;
}

/**
 * `[keywarden] CRITICAL public-key (+2 more) on alias/x in 111122223333/us-east-1`: one line, at most 99 characters;
 * a long key name is shortened first so the severity, rule and place stay readable.
 */
export function buildSubject(findings: readonly Finding[], resolved: readonly Finding[], key: KeyRef): string {
  const where = [key.account, key.region].filter(Boolean).join('/');
  const lead = worstFinding(findings) ?? sortFindings(findings)[0];
  let what: string;
  if (lead) {
    const more = findings.length > 1 ? ` (+${findings.length - 1} more)` : '';
    what = `${lead.severity.toUpperCase()} ${lead.rule}${more}`;
  } else {
    const first = sortFindings(resolved)[0];
    what = first
      ? `resolved ${first.rule}${resolved.length > 1 ? ` (+${resolved.length - 1} more)` : ''}`
      : 'no change';
  }
  const head = `[keywarden] ${oneLine(what)} on `;
  const tail = where ? ` in ${oneLine(where)}` : '';
  const room = SUBJECT_MAX - [...head].length - [...tail].length;
  const name = room >= 12 ? truncate(keyName(key), room) : keyName(key);
  return truncate(oneLine(`${head}${name}${tail}`), SUBJECT_MAX);
}

const severityOf = (findings: readonly Finding[]): Severity =>
  (worstFinding(findings) ?? sortFindings(findings)[0])?.severity ?? 'info';

export function buildNotification(input: NotificationInput): NotificationMessage {
  const resolved = input.resolved ?? [];
  const fromArn = arnParts(input.key.arn);
  const key: KeyRef = {
    arn: input.key.arn,
    account: input.key.account ?? fromArn.account,
    region: input.key.region ?? fromArn.region,
    aliases: [...(input.key.aliases ?? [])].sort(),
  };
  const consoleUrl = consoleUrlForKey(key.arn);
  const subject = buildSubject(input.findings, resolved, key);
  const content = buildContent(input.findings, resolved, key, input.change, consoleUrl);
  const severity = severityOf(input.findings);
  return {
    subject,
    text: renderText(content),
    html: renderHtml(content, subject),
    severity,
    consoleUrl,
    payload: {
      format: NOTIFICATION_FORMAT,
      subject,
      severity,
      key: {
        arn: key.arn,
        ...(key.account ? { account: key.account } : {}),
        ...(key.region ? { region: key.region } : {}),
        aliases: [...(key.aliases ?? [])],
        ...(consoleUrl ? { consoleUrl } : {}),
      },
      ...(input.change && Object.keys(input.change).length > 0 ? { change: input.change } : {}),
      findings: sortFindings(input.findings).map(jsonFinding),
      resolved: sortFindings(resolved).map(({ id, rule, severity: s, title }) => ({ id, rule, severity: s, title })),
    },
  };
}

/** The key reference of a snapshot: its ARN, account, region and the aliases that were read. */
export const keyRefOf = (key: KeySnapshot): KeyRef => ({
  arn: key.arn,
  account: key.account,
  region: key.region,
  aliases: aliasesOf(key),
});
