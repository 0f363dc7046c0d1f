import { parsePolicyText, parsePolicyValue } from '../../src/policy';
import { pointerTokens } from '../../src/policy/json-pointer';
import type { ParseResult } from '../../src/policy/types';

/** The checks the fuzz test and the 100k fuzz script apply to every generated input. */

/** Does the pointer name an element of the value (every token present)? */
export function pointerExists(value: unknown, pointer: string): boolean {
  let node = value;
  for (const token of pointerTokens(pointer)) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9]\d*)$/.test(token) || Number(token) >= node.length) return false;
      node = node[Number(token)];
    } else if (typeof node === 'object' && node !== null) {
      if (!Object.hasOwn(node, token)) return false;
      node = (node as Record<string, unknown>)[token];
    } else {
      return false;
    }
  }
  return true;
}

/** Problems with a parse result for an input value (empty when all is well). */
export function checkResult(result: ParseResult, input: unknown): string[] {
  if (result.ok) return [];
  const problems: string[] = [];
  if (result.errors.length === 0) problems.push('rejected without errors');
  for (const error of result.errors) {
    if (typeof error.message !== 'string' || error.message.trim() === '')
      problems.push(`empty message at ${error.pointer}`);
    if (!pointerExists(input, error.pointer))
      problems.push(`pointer ${JSON.stringify(error.pointer)} is not in the input`);
  }
  return problems;
}

export type Outcome = { ok: boolean; problems: string[] };

/** Parse a value (and its JSON text, when it has one): never throws, errors well-formed, text and value agree. */
export function fuzzValue(value: unknown): Outcome {
  const result = parsePolicyValue(value);
  const problems = checkResult(result, value);
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined; // deeper than JSON.stringify can go
  }
  if (text !== undefined) {
    const fromText = parsePolicyText(text);
    const reparsed = JSON.parse(text) as unknown;
    problems.push(...checkResult(fromText, reparsed));
    const pointers = (r: ParseResult) => (r.ok ? 'ok' : r.errors.map((e) => e.pointer).join(' '));
    if (pointers(fromText) !== pointers(parsePolicyValue(reparsed))) problems.push('text and value parse disagree');
  }
  return { ok: result.ok, problems };
}

/** Parse a text: never throws, errors well-formed (syntax errors at the root with a line and column). */
export function fuzzText(text: string): Outcome {
  const result = parsePolicyText(text);
  let value: unknown;
  let json = true;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    json = false;
  }
  if (json) return { ok: result.ok, problems: checkResult(result, value) };
  if (result.ok) return { ok: true, problems: ['malformed JSON accepted'] };
  const problems: string[] = [];
  if (result.errors.length !== 1) problems.push('malformed JSON must give one error');
  const [error] = result.errors;
  if (error?.pointer !== '') problems.push('a syntax error points at the root');
  if (!error?.message) problems.push('empty message');
  if (error?.line === undefined || error.column === undefined) problems.push('a syntax error has a line and column');
  return { ok: false, problems };
}
