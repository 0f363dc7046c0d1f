/**
 * What reading found wrong, counted per file (or per page / query for API sources). Plain data: the readers fill it,
 * the reports print it.
 */

export interface FileProblems {
  /** A path, an s3:// URL, or `lookup:REGION` / `logs:GROUP` for API sources. */
  file: string;
  events: number;
  invalidEvents: number;
  /** Why records were rejected, with how many. */
  reasons: Array<{ reason: string; count: number }>;
  /** Why the file as a whole could not be read (fully or at all). */
  error?: string;
}

export interface ReadReport {
  files: number;
  events: number;
  invalidEvents: number;
  unreadableFiles: number;
  /** Only the files with a problem. */
  problems: FileProblems[];
}
