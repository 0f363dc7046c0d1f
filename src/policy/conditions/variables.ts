import type { ContextValue } from '../types';

/**
 * Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`) in condition values and Resource.
 * Names ignore case; a multivalued or absent key without a default does not resolve, and the value that holds it
 * then matches nothing. `${*}`, `${?}` and `${$}` are the literal characters `*`, `?` and `$`.
 * Variables only exist in policies of Version 2012-10-17; in older policies `${...}` is plain text.
 */

/** Values for policy variables; names compared case-insensitively. The request context is the usual source. */
export type PolicyVariables = Readonly<Record<string, ContextValue>>;

/** Looks up a lower-cased variable name. */
export type VariableLookup = (lowerName: string) => ContextValue | undefined;

type TemplatePart = { text: string; literal: boolean } | { variable: string; fallback?: string };

/** A value with `${...}` in it, split into text and variables. */
export interface ValueTemplate {
  parts: TemplatePart[];
  /** True when at least one part is a real variable (not only escapes). */
  dynamic: boolean;
}

/** A value after substitution: the text, and which of its characters are literal even if `*` or `?`. */
export interface ResolvedValue {
  text: string;
  literal?: Uint8Array;
}

/** Parse the `${...}` parts of a value; undefined when it has none. */
export function parseValueTemplate(value: string): ValueTemplate | undefined {
  let open = value.indexOf('${');
  if (open === -1) return undefined;
  const parts: TemplatePart[] = [];
  let dynamic = false;
  let from = 0;
  while (open !== -1) {
    const close = value.indexOf('}', open + 2);
    if (close === -1) break;
    if (open > from) parts.push({ text: value.slice(from, open), literal: false });
    const inner = value.slice(open + 2, close);
    if (inner === '*' || inner === '?' || inner === '$') {
      parts.push({ text: inner, literal: true });
    } else {
      parts.push(parseVariable(inner));
      dynamic = true;
    }
    from = close + 1;
    open = value.indexOf('${', from);
  }
  if (from < value.length) parts.push({ text: value.slice(from), literal: false });
  return { parts, dynamic };
}

function parseVariable(inner: string): TemplatePart {
  const comma = inner.indexOf(',');
  if (comma === -1) return { variable: inner.trim().toLowerCase() };
  const variable = inner.slice(0, comma).trim().toLowerCase();
  const rawDefault = inner.slice(comma + 1).trim();
  if (rawDefault.length >= 2 && rawDefault.startsWith("'") && rawDefault.endsWith("'")) {
    return { variable, fallback: rawDefault.slice(1, -1).replace(/''/g, "'") };
  }
  // A malformed default never resolves.
  return { variable: '' };
}

/**
 * Substitute the variables of a template. `lowerCase` lower-cases the result (for case-insensitive operators).
 * Undefined when a variable has no single value and no default.
 */
export function resolveTemplate(
  template: ValueTemplate,
  lookup: VariableLookup | undefined,
  lowerCase = false,
): ResolvedValue | undefined {
  let text = '';
  const flags: number[] = [];
  let anyLiteral = false;
  for (const part of template.parts) {
    let piece: string;
    let literal: boolean;
    if ('variable' in part) {
      const found = part.variable === '' || lookup === undefined ? undefined : lookup(part.variable);
      if (typeof found === 'string') piece = found;
      else if (part.fallback !== undefined) piece = part.fallback;
      else return undefined;
      literal = true;
    } else {
      piece = part.text;
      literal = part.literal;
    }
    if (lowerCase) piece = piece.toLowerCase();
    text += piece;
    for (let i = 0; i < piece.length; i++) flags.push(literal ? 1 : 0);
    if (literal && piece.length > 0) anyLiteral = true;
  }
  return anyLiteral ? { text, literal: Uint8Array.from(flags) } : { text };
}

/** A lookup over a PolicyVariables record (names compared case-insensitively). */
export function variableLookup(vars: PolicyVariables): VariableLookup {
  const lowered = new Map<string, ContextValue>();
  for (const name of Object.keys(vars)) lowered.set(name.toLowerCase(), vars[name]!);
  return (name) => lowered.get(name);
}
