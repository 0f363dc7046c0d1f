/** Writing to the stream the caller passed in, and deciding whether that stream gets colors. */
import type { Writable } from 'node:stream';

/** Writes text and resolves once the stream accepted it (honours back-pressure; rejects on a stream error). */
export function writeText(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(text, 'utf8', (error) => (error ? reject(error) : resolve()));
  });
}

export interface ColorChoice {
  /** `true`/`false` forces it (from `--color` / `--no-color`); undefined decides from the stream and environment. */
  color?: boolean;
  /** Environment to read NO_COLOR / FORCE_COLOR from (defaults to the process environment). */
  env?: Record<string, string | undefined>;
}

/**
 * Colors only on a terminal, never when NO_COLOR is set to anything non-empty (https://no-color.org) or when
 * `--no-color` was given; FORCE_COLOR (non-empty, not `0`) turns them on for a stream that is not a terminal.
 */
export function useColor(out: Writable, choice: ColorChoice = {}): boolean {
  if (choice.color !== undefined) return choice.color;
  const env = choice.env ?? process.env;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return (out as Writable & { isTTY?: boolean }).isTTY === true;
}

/** The stream's width when it is a terminal, else a default that suits log files and CI. */
export function widthOf(out: Writable, fallback = 120): number {
  const columns = (out as Writable & { columns?: number }).columns;
  return typeof columns === 'number' && columns >= 60 ? columns : fallback;
}
