import type { ParseResult } from '../types';
import { LineIndex, textLocator } from './locate';
import { findSyntaxError } from './syntax';
import { locateErrors, parsePolicyValue } from './value';

/**
 * Parse policy text: JSON.parse (the fast path), then validation and normalisation. Line/column are computed only
 * when asked for (`policy.locate`) or for errors. Never throws: malformed JSON, deep nesting, huge input and
 * hostile strings all come back as errors.
 */
export function parsePolicyText(text: string): ParseResult {
  if (typeof text !== 'string') {
    return {
      ok: false,
      errors: [{ message: 'The policy is not text; pass the JSON document as a string.', pointer: '' }],
    };
  }
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte order mark before the JSON
  const source = shift === 0 ? text : text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    return { ok: false, errors: [syntaxError(text, source, shift, error)] };
  }
  try {
    const locate = textLocator(text, shift);
    const result = parsePolicyValue(value);
    if (result.ok) {
      result.policy.locate = locate;
      return result;
    }
    return { ok: false, errors: locateErrors(result.errors, locate) };
  } catch (error) {
    return { ok: false, errors: [{ message: `The policy could not be read: ${errorText(error)}.`, pointer: '' }] };
  }
}

function syntaxError(text: string, source: string, shift: number, error: unknown) {
  let problem: ReturnType<typeof findSyntaxError>;
  try {
    problem = findSyntaxError(source);
  } catch {
    problem = undefined;
  }
  const offset = (problem?.offset ?? 0) + shift;
  const { line, column } = new LineIndex(text).position(offset);
  const message =
    problem?.message ??
    (error instanceof RangeError
      ? 'The policy is nested too deeply to read as JSON.'
      : `Malformed JSON: ${errorText(error)}.`);
  return { message: `${message} (line ${line}, column ${column})`, pointer: '', line, column };
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
