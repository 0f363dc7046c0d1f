/**
 * What reading found wrong, counted per file (or per page / query for API sources): unreadable files, truncated
 * gzip, JSON that is not CloudTrail, records missing fields. Never fatal; always reported.
 */

import type { FileProblems, ReadReport } from '../detect/read-report';

export type { FileProblems, ReadReport };

/** Accumulates per-file counts as a source reads. */
export class ReadTally {
  private filesRead = 0;
  private eventsRead = 0;
  private invalid = 0;
  private unreadable = 0;
  private readonly byFile = new Map<
    string,
    { events: number; invalid: number; reasons: Map<string, number>; error?: string }
  >();

  private entry(file: string) {
    let entry = this.byFile.get(file);
    if (!entry) {
      entry = { events: 0, invalid: 0, reasons: new Map() };
      this.byFile.set(file, entry);
    }
    return entry;
  }

  fileRead(file: string, events: number): void {
    this.filesRead++;
    this.eventsRead += events;
    if (this.byFile.has(file)) this.entry(file).events += events;
  }

  invalidEvent(file: string, reason: string): void {
    this.invalid++;
    const entry = this.entry(file);
    entry.invalid++;
    entry.reasons.set(reason, (entry.reasons.get(reason) ?? 0) + 1);
  }

  fileError(file: string, error: string): void {
    const entry = this.entry(file);
    if (!entry.error) this.unreadable++;
    entry.error = entry.error ? `${entry.error}; ${error}` : error;
  }

  report(): ReadReport {
    const problems: FileProblems[] = [...this.byFile.entries()]
      .map(([file, entry]) => ({
        file,
        events: entry.events,
        invalidEvents: entry.invalid,
        reasons: [...entry.reasons.entries()]
          .map(([reason, count]) => ({ reason, count }))
          .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1)),
        ...(entry.error ? { error: entry.error } : {}),
      }))
      .sort((a, b) => (a.file < b.file ? -1 : 1));
    return {
      files: this.filesRead,
      events: this.eventsRead,
      invalidEvents: this.invalid,
      unreadableFiles: this.unreadable,
      problems,
    };
  }
}
