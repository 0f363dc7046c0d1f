import { parseValueTemplate, resolveTemplate, type ValueTemplate, type VariableLookup } from '../conditions/variables';
import { type ArnPattern, arnPatternMatches, compileArnPattern } from './arn';
import { globMatch, hasWildcard } from './wildcard';

/**
 * Resource / NotResource. `"*"` matches every resource. An ARN pattern is matched segment by segment
 * (case-sensitive, `*` and `?` wildcards); any other pattern as a whole string. Policy variables are substituted
 * in Version 2012-10-17 policies; a pattern whose variable does not resolve matches nothing.
 * A request without a resource stands for "this key" (a key policy's own resource): Resource always matches it and
 * NotResource excludes it only through `"*"`.
 */

type CompiledResource =
  | { kind: 'any' }
  | { kind: 'exact'; text: string }
  | { kind: 'arn'; pattern: ArnPattern }
  | { kind: 'glob'; text: string; literal?: Uint8Array };

interface ResourceEntry {
  plain: CompiledResource;
  template?: ValueTemplate;
}

const compiledEntries = new Map<string, ResourceEntry>();

function compileText(text: string, literal?: Uint8Array): CompiledResource {
  if (text === '*' && literal === undefined) return { kind: 'any' };
  if (literal === undefined && !hasWildcard(text)) return { kind: 'exact', text };
  const arn = compileArnPattern(text, literal);
  if (arn !== undefined) return { kind: 'arn', pattern: arn };
  return { kind: 'glob', text, literal };
}

function entry(pattern: string): ResourceEntry {
  let e = compiledEntries.get(pattern);
  if (e === undefined) {
    e = { plain: compileText(pattern), template: parseValueTemplate(pattern) };
    if (compiledEntries.size >= 10_000) compiledEntries.clear();
    compiledEntries.set(pattern, e);
  }
  return e;
}

function compiledMatches(c: CompiledResource, resource: string): boolean {
  switch (c.kind) {
    case 'any':
      return true;
    case 'exact':
      return c.text === resource;
    case 'arn':
      return arnPatternMatches(c.pattern, resource);
    case 'glob':
      return globMatch(c.text, resource, c.literal);
  }
}

function patternMatches(pattern: string, resource: string, vars: VariableLookup | undefined): boolean {
  const e = entry(pattern);
  if (e.template === undefined || vars === undefined) return compiledMatches(e.plain, resource);
  const resolved = resolveTemplate(e.template, vars);
  return resolved !== undefined && compiledMatches(compileText(resolved.text, resolved.literal), resource);
}

/** True when one of the patterns matches the resource (`resource` undefined: this key). */
export function resourceMatches(
  patterns: readonly string[],
  resource: string | undefined,
  vars?: VariableLookup,
): boolean {
  for (const pattern of patterns) {
    if (pattern === '*' || resource === undefined) return true;
    if (patternMatches(pattern, resource, vars)) return true;
  }
  return false;
}

/** NotResource: applies when no pattern matches (`resource` undefined: only `"*"` excludes it). */
export function notResourceApplies(
  patterns: readonly string[],
  resource: string | undefined,
  vars?: VariableLookup,
): boolean {
  if (resource === undefined) return !patterns.includes('*');
  return !resourceMatches(patterns, resource, vars);
}
