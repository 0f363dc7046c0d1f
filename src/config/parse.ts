/**
 * keywarden.yaml text -> a validated config, or errors that name the line, column and path of each problem. Pure:
 * the CLI reads the file, the Lambda reads S3 or SSM; both hand the text here.
 */
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { z } from 'zod';
import { closest } from '../policy/parse/suggest';
import { configSchema, type KeywardenConfig } from './schema';

export interface ConfigError {
  /** What is wrong and how to fix it. */
  message: string;
  /** Where, as a path: `suppressions[1].owner` ('' for the whole file). */
  path: string;
  line?: number;
  column?: number;
}

export type ConfigResult = { ok: true; config: KeywardenConfig } | { ok: false; errors: ConfigError[] };

type PathKey = string | number;

/** `suppressions[1].owner`, `rules.key-state.severity`. */
export const pathText = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');

/** The deepest node of the document along `path`, and the key node of the last step when asked. */
function nodeAt(doc: Document, path: readonly PathKey[], keyOf?: string): Node | undefined {
  let node: unknown = doc.contents;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) return node as Node;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof step === 'number' && node.items[step] !== undefined) {
      node = node.items[step];
    } else {
      return node as Node | undefined;
    }
  }
  if (keyOf !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === keyOf);
    if (pair && isScalar(pair.key)) return pair.key as Node;
  }
  return node as Node | undefined;
}

const didYouMean = (key: string, known: readonly string[]): string => {
  const close = closest(key, known);
  return close ? ` (did you mean "${close}"?)` : '';
};

/** The keys the object at `path` of the schema takes (for hints). */
function keysAt(path: readonly PathKey[]): string[] {
  let schema: unknown = configSchema;
  for (const step of path) {
    while (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) schema = schema.unwrap();
    if (schema instanceof z.ZodArray) schema = schema.element;
    else if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, unknown>)[String(step)];
    else return [];
  }
  while (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) schema = schema.unwrap();
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** A user-facing message for one zod issue. */
function messageOf(issue: z.core.$ZodIssue, path: readonly PathKey[]): string {
  if (issue.code === 'unrecognized_keys') {
    const where = path.length ? `${pathText(path)} does not take` : 'keywarden.yaml does not take';
    const key = issue.keys[0] ?? '';
    const known = keysAt(path);
    if (path.length === 1 && path[0] === 'rules')
      return `unknown rule "${key}"${didYouMean(key, known)}; known rules: ${known.join(', ')}`;
    return `${where} "${key}"${didYouMean(key, known)}; it takes ${known.join(', ')}`;
  }
  if (issue.code === 'invalid_value' && 'values' in issue)
    return `expected one of ${(issue.values as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_union') return 'not a valid value here';
  return issue.message.replace(/^Invalid input: /, '');
}

/** Validates a plain value (parsed YAML or JSON); `locate` adds line and column to each error. */
export function validateConfig(
  value: unknown,
  locate: (path: readonly PathKey[], key?: string) => { line?: number; column?: number } = () => ({}),
): ConfigResult {
  const parsed = configSchema.safeParse(value ?? {});
  if (parsed.success) return { ok: true, config: parsed.data };
  const errors: ConfigError[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.filter((p): p is PathKey => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        errors.push({
          message: messageOf({ ...issue, keys: [key] }, path),
          path: pathText([...path, key]),
          ...locate(path, key),
        });
      continue;
    }
    errors.push({ message: messageOf(issue, path), path: pathText(path), ...locate(path) });
  }
  // One problem per place: a value that is not a date is not also "not a real date".
  const unique = errors.filter((e, i) => errors.findIndex((x) => x.path === e.path) === i);
  unique.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { ok: false, errors: unique };
}

/** Parses and validates keywarden.yaml text (YAML, so JSON too). */
export function parseConfigText(text: string): ConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
        path: '',
        ...position(e.pos[0]),
      })),
    };
  }
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value)))
    return {
      ok: false,
      errors: [{ message: 'keywarden.yaml must be a mapping of settings (key: value)', path: '', line: 1, column: 1 }],
    };
  return validateConfig(value, (path, key) => {
    const node = nodeAt(doc, path, key);
    return node?.range ? position(node.range[0]) : {};
  });
}
