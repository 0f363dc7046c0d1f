/**
 * The key policy carried by a PutKeyPolicy or CreateKey event, as text and as parsed JSON. CloudTrail writes
 * `requestParameters.policy` as a JSON string; some exporters (and test suites) write it as an object: both are read.
 * A policy that is not valid JSON is a value with a reason, never an exception.
 */
import type { CloudTrailEvent } from './event';

export type PolicyInEvent =
  | { present: false }
  | { present: true; text: string; document: Record<string, unknown>; statements: Array<Record<string, unknown>> }
  | { present: true; text: string; error: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parse a policy text; the error names the problem and where (JSON.parse's message carries the position). */
export const parsePolicyJson = (
  text: string,
):
  | { ok: true; document: Record<string, unknown>; statements: Array<Record<string, unknown>> }
  | { ok: false; error: string } => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!isObject(value)) return { ok: false, error: 'not a JSON object' };
  const raw = value.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return { ok: true, document: value, statements: list.filter(isObject) };
};

const parsedPolicies = new WeakMap<CloudTrailEvent, PolicyInEvent>();

/** The policy an event sets, when it sets one (parsed once per event, however many detections ask). */
export const policyInEvent = (event: CloudTrailEvent): PolicyInEvent => {
  const cached = parsedPolicies.get(event);
  if (cached) return cached;
  const raw = event.requestParameters?.policy;
  let result: PolicyInEvent;
  if (raw === undefined || raw === null) result = { present: false };
  else {
    const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
    const parsed = parsePolicyJson(text);
    result = parsed.ok
      ? { present: true, text, document: parsed.document, statements: parsed.statements }
      : { present: true, text, error: parsed.error };
  }
  parsedPolicies.set(event, result);
  return result;
};

/** Values of a policy element that may be a string or a list of strings. */
export const stringList = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
};

/** The AWS principals a statement names (`"*"` for anyone). */
export const awsPrincipals = (statement: Record<string, unknown>): string[] => {
  const principal = statement.Principal;
  if (principal === '*') return ['*'];
  if (isObject(principal)) return stringList(principal.AWS);
  return [];
};

/** Case-insensitive IAM wildcard match (`*` any run, `?` one character). */
export const wildcardMatches = (pattern: string, value: string): boolean => {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(value);
};
