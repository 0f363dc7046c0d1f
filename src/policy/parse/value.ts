import { childPointer } from '../json-pointer';
import type { Location, ParsedPolicy, ParseResult, PolicyDocument, PolicyError, Statement } from '../types';
import { describe, isPlainObject, Problems, quote } from './problems';
import { parseStatement } from './statement';

/** Validate and normalise a policy that is already a JSON value (a snapshot's policy, a template's). */

export interface ParseValueOptions {
  /** Maps pointers relative to the policy root to positions in the enclosing file. */
  locate?: (pointer: string) => Location | undefined;
}

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);

export function parsePolicyValue(value: unknown, options?: ParseValueOptions): ParseResult {
  try {
    return parseValue(value, options);
  } catch (error) {
    // Not JSON data (a getter or proxy that throws): still an error value, never an exception.
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ message: `The policy could not be read: ${reason.slice(0, 200)}.`, pointer: '' }] };
  }
}

function parseValue(value: unknown, options?: ParseValueOptions): ParseResult {
  const problems = new Problems();
  const statements = parseDocument(value, problems);
  const locate = options?.locate;
  if (statements === undefined || problems.any) {
    return { ok: false, errors: locateErrors(problems.errors, locate) };
  }
  const document = value as PolicyDocument;
  const policy: ParsedPolicy = {
    statements,
    document,
    locate: locate === undefined ? pointerOnly : (pointer) => safeLocate(locate, pointer),
  };
  if (typeof document.Version === 'string') policy.version = document.Version;
  if (typeof document.Id === 'string') policy.id = document.Id;
  return { ok: true, policy };
}

function parseDocument(value: unknown, problems: Problems): Statement[] | undefined {
  if (!isPlainObject(value)) {
    problems.add('', `A policy must be a JSON object with a Statement element; found ${describe(value)}.`);
    return undefined;
  }
  for (const key in value) {
    if (!TOP_LEVEL.has(key)) {
      problems.add(
        childPointer('', key),
        `Unknown policy element ${quote(key)}; a policy has only Version, Id and Statement (names are case-sensitive).`,
      );
    }
  }
  const version = value.Version;
  if (version !== undefined && !(typeof version === 'string' && VERSIONS.has(version))) {
    problems.add('/Version', `Version must be "2012-10-17" (or the legacy "2008-10-17"); found ${describe(version)}.`);
  }
  if (value.Id !== undefined && typeof value.Id !== 'string') {
    problems.add('/Id', `Id must be a string; found ${describe(value.Id)}.`);
  }
  const raw = value.Statement;
  if (raw === undefined) {
    problems.add('', 'The policy has no Statement; add "Statement": [ ... ] with at least one statement.');
    return undefined;
  }
  if (isPlainObject(raw)) {
    const single = parseStatement(raw, 0, '/Statement', problems);
    return single === undefined ? undefined : [single];
  }
  if (!Array.isArray(raw)) {
    problems.add('/Statement', `Statement must be an object or an array of objects; found ${describe(raw)}.`);
    return undefined;
  }
  const statements: Statement[] = [];
  for (let i = 0; i < raw.length; i++) {
    const statement = parseStatement(raw[i], i, `/Statement/${i}`, problems);
    if (statement !== undefined) statements.push(statement);
  }
  return statements;
}

const pointerOnly = (pointer: string): Location => ({ pointer });

function safeLocate(locate: ParseValueOptions['locate'], pointer: string): Location {
  if (locate === undefined) return { pointer };
  try {
    return locate(pointer) ?? { pointer };
  } catch {
    return { pointer };
  }
}

/** Attach line/column to errors when the source text is known. */
export function locateErrors(errors: PolicyError[], locate: ParseValueOptions['locate']): PolicyError[] {
  if (locate === undefined) return errors;
  return errors.map((error) => {
    const where = safeLocate(locate, error.pointer);
    return where.line === undefined ? error : { ...error, line: where.line, column: where.column };
  });
}
