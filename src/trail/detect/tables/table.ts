/**
 * Plain-text tables for the terminal (cli-table3, no colour: the output is pasted into tickets as is).
 */
import Table from 'cli-table3';
import type { Count, Flag } from '../investigation';
import type { ReadReport } from '../read-report';

export const table = (head: string[], rows: Array<Array<string | number>>, colWidths?: number[]): string => {
  const rendered = new Table({
    head,
    style: { head: [], border: [], compact: true },
    wordWrap: true,
    ...(colWidths ? { colWidths } : {}),
  });
  for (const row of rows) rendered.push(row.map((cell) => String(cell)));
  return rendered.toString();
};

/** `value (count), value (count)` for the first `limit` entries, with how many more. */
export const counts = (list: Count[], limit = 5): string => {
  if (list.length === 0) return '-';
  const shown = list.slice(0, limit).map((entry) => `${entry.value} (${entry.count})`);
  return list.length > limit ? `${shown.join(', ')}, +${list.length - limit} more` : shown.join(', ');
};

export const renderFlags = (flags: Flag[]): string => {
  if (flags.length === 0) return 'Nothing flagged.';
  const lines = flags.map(
    (flag) => `  [${flag.severity.toUpperCase()}] ${flag.title}${flag.eventID ? ` (event ${flag.eventID})` : ''}`,
  );
  return [`Flagged (${flags.length}):`, ...lines].join('\n');
};

export const renderReadReport = (report: ReadReport): string => {
  const lines = [
    `Read ${report.events} event(s) from ${report.files} file(s)/page(s); ${report.invalidEvents} invalid event(s), ${report.unreadableFiles} unreadable file(s).`,
  ];
  for (const problem of report.problems.slice(0, 20)) {
    const parts: string[] = [];
    if (problem.error) parts.push(problem.error);
    for (const reason of problem.reasons.slice(0, 3)) parts.push(`${reason.count} x ${reason.reason}`);
    lines.push(`  ${problem.file}: ${parts.join('; ')}`);
  }
  if (report.problems.length > 20) lines.push(`  ... and ${report.problems.length - 20} more file(s) with problems`);
  return lines.join('\n');
};
