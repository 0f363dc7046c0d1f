/**
 * The Slack incoming-webhook body: `text` (the fallback shown in notifications) and Block Kit blocks.
 * Slack limits: 50 blocks, 150 characters in a header, 3000 in a section's text; mrkdwn needs &, <, > escaped.
 */
import type { NotificationMessage } from './types';

const escapeMrkdwn = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const cut = (text: string, max: number): string =>
  [...text].length <= max ? text : `${[...text].slice(0, max - 1).join('')}…`;

const MAX_FINDING_BLOCKS = 20;

type Block = Record<string, unknown>;

const section = (markdown: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: cut(markdown, 3000) } });

export function slackBody(message: NotificationMessage): { text: string; blocks: Block[] } {
  const { payload } = message;
  const key = payload.key;
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: cut(message.subject, 150) } }];
  const keyLines = [
    `*Key:* \`${escapeMrkdwn(key.arn)}\``,
    key.aliases.length ? `*Aliases:* ${escapeMrkdwn(key.aliases.join(', '))}` : '',
    key.consoleUrl ? `<${key.consoleUrl}|Open in the AWS console>` : '',
  ].filter(Boolean);
  blocks.push(section(keyLines.join('\n')));
  const change = payload.change;
  if (change) {
    const who = [
      change.principalArn ?? change.identityType,
      change.eventName ? `${change.eventName}${change.errorCode ? ` (failed: ${change.errorCode})` : ''}` : undefined,
      change.eventTime,
      change.sourceIp ? `from ${change.sourceIp}` : undefined,
      change.userAgent ? `(${change.userAgent})` : undefined,
    ].filter(Boolean);
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: cut(`Changed by ${escapeMrkdwn(who.join(' · '))}`, 3000) }],
    });
  }
  blocks.push({ type: 'divider' });
  for (const finding of payload.findings.slice(0, MAX_FINDING_BLOCKS)) {
    const lines = [
      `*[${finding.severity.toUpperCase()}] ${escapeMrkdwn(finding.rule)}*: ${escapeMrkdwn(finding.title)}${finding.suppressed ? ' _(suppressed)_' : ''}`,
      escapeMrkdwn(finding.explanation),
      `*Fix:* ${escapeMrkdwn(finding.remediation.summary)}`,
      `_${escapeMrkdwn(finding.id)}_`,
    ];
    blocks.push(section(lines.join('\n')));
  }
  if (payload.findings.length > MAX_FINDING_BLOCKS) {
    blocks.push(section(`…and ${payload.findings.length - MAX_FINDING_BLOCKS} more findings.`));
  }
  if (payload.resolved.length > 0) {
    const resolved = payload.resolved.map((f) => `• ${escapeMrkdwn(f.rule)}: ${escapeMrkdwn(f.title)}`).join('\n');
    blocks.push(section(`*Resolved:*\n${resolved}`));
  }
  return { text: message.subject, blocks };
}
