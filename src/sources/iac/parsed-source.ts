/** A template text turned into a plain value plus the line/column of every JSON pointer. */
import type { PositionMap } from './positions';

export interface SourceError {
  message: string;
  line?: number;
  column?: number;
  pointer?: string;
}

export interface ParsedSource {
  value: unknown;
  positions: PositionMap;
  /** Fatal problems: the text is not readable. */
  errors: SourceError[];
  /** Problems that leave the rest of the text readable (e.g. an unknown YAML tag). */
  problems: SourceError[];
}
