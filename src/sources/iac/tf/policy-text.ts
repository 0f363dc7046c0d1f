/**
 * A policy written as JSON text (a heredoc, a quoted string, a plan's policy string) -> document + locator.
 * Interpolations inside JSON strings (`"${aws_kms_key.k.arn}"`) are evaluated after parsing, so positions stay
 * exact; a trailing comma is read but reported, since Terraform and AWS reject it.
 */
import type { ReadLog } from '../log';
import { parseJsonSource } from '../parse-json';
import type { Position } from '../positions';
import type { TemplateLocation } from '../types';
import type { TfPolicy } from './model';

export interface PolicyTextOptions {
  file: string;
  /** Pointer of the argument holding the text; policy pointers are appended to it. */
  pointer: string;
  /** Position of an offset of the text in the file; undefined: everything is located at `fallback`. */
  positionOf?: (offset: number) => Position | undefined;
  fallback?: Position;
  /** Evaluates a string that contains `${...}`. */
  interpolate?: (text: string) => unknown;
  log: ReadLog;
}

export function policyFromText(text: string, options: PolicyTextOptions): TfPolicy {
  const { file, pointer, log, fallback } = options;
  const locationAt = (innerPointer: string, position: Position | undefined): TemplateLocation => ({
    file,
    pointer: `${pointer}${innerPointer}`,
    ...(position ? { line: position.line, column: position.column } : {}),
  });
  const location = locationAt('', fallback);
  if (text.trim() === '') {
    log.error(pointer, 'the policy is empty', fallback);
    return { document: undefined, location, locate: () => location };
  }
  const positionOf = options.positionOf ?? (() => fallback ?? { line: 1, column: 1 });
  const parsed = parseJsonSource(text, {
    allowTrailingComma: true,
    positionOf: (offset) => positionOf(offset) ?? fallback ?? { line: 1, column: 1 },
  });
  if (parsed.errors.length > 0) {
    if (text.includes('${') && options.interpolate) {
      // Interpolation outside JSON strings (e.g. `"Principal": ${jsonencode(x)}`): evaluate, then parse.
      const evaluated = options.interpolate(text);
      if (typeof evaluated === 'string') {
        try {
          const document = JSON.parse(evaluated);
          return { document, location, locate: () => location };
        } catch {
          // fall through to the located error below
        }
      }
    }
    const first = parsed.errors[0];
    log.error(
      pointer,
      `the policy is not valid JSON (${first?.message.replace(/^invalid JSON: /, '')}): Terraform and AWS will reject it`,
      first?.line !== undefined ? { line: first.line, column: first.column ?? 1 } : fallback,
    );
    return { document: undefined, location, locate: () => location };
  }
  for (const problem of parsed.lenientErrors.slice(0, 1)) {
    log.error(
      pointer,
      'the policy is not strict JSON (a trailing comma): Terraform and AWS will reject it; keywarden read it anyway',
      problem.line !== undefined ? { line: problem.line, column: problem.column ?? 1 } : fallback,
    );
  }
  const document = options.interpolate ? interpolateStrings(parsed.value, options.interpolate) : parsed.value;
  return {
    document,
    location: locationAt('', parsed.positions.get('') ?? fallback),
    locate: (inner) => locationAt(inner, parsed.positions.nearest(inner)?.position ?? fallback),
  };
}

function interpolateStrings(value: unknown, interpolate: (text: string) => unknown, depth = 0): unknown {
  if (depth > 200) return value;
  if (typeof value === 'string') return value.includes('${') ? interpolate(value) : value;
  if (Array.isArray(value)) return value.map((item) => interpolateStrings(item, interpolate, depth + 1));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolateStrings(item, interpolate, depth + 1)]),
    );
  }
  return value;
}
