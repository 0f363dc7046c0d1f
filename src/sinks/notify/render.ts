/** Plain text and HTML bodies of a notification, from the same sections (pure). */
import type { Content } from './content';

export function renderText(content: Content): string {
  const blocks = [content.intro];
  for (const section of content.sections) {
    const width = Math.max(0, ...section.rows.map((row) => row.label.length));
    const lines = [
      section.heading,
      ...section.rows.map((row) => `  ${`${row.label}:`.padEnd(width + 1)} ${row.value}`),
    ];
    if (section.pre) lines.push(section.pre.replace(/^/gm, '    '));
    blocks.push(lines.join('\n'));
  }
  blocks.push('-- keywarden');
  return `${blocks.join('\n\n')}\n`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** Links only to https URLs (keywarden builds them; anything else is printed, not linked). */
const isSafeLink = (href: string): boolean => /^https:\/\/[^\s"'<>]+$/.test(href);

export function renderHtml(content: Content, title: string): string {
  const parts = [
    '<!DOCTYPE html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family: sans-serif; font-size: 14px;">',
    `<p>${escapeHtml(content.intro)}</p>`,
  ];
  for (const section of content.sections) {
    parts.push(`<h3>${escapeHtml(section.heading)}</h3>`, '<table cellpadding="4" style="border-collapse: collapse;">');
    for (const row of section.rows) {
      const value =
        row.href && isSafeLink(row.href)
          ? `<a href="${escapeHtml(row.href)}">${escapeHtml(row.value)}</a>`
          : escapeHtml(row.value);
      parts.push(`<tr><th align="left" valign="top">${escapeHtml(row.label)}</th><td>${value}</td></tr>`);
    }
    parts.push('</table>');
    if (section.pre) parts.push(`<pre>${escapeHtml(section.pre)}</pre>`);
  }
  parts.push('<p style="color: #666;">-- keywarden</p>', '</body></html>');
  return `${parts.join('\n')}\n`;
}
