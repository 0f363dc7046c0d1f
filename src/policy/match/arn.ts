import { globMatch } from './wildcard';

/**
 * ARNs: `arn:partition:service:region:account:resource`, compared segment by segment (a wildcard never crosses a
 * colon of the first five segments; the resource segment may itself contain colons). A `{{...}}` template
 * placeholder is one opaque token, so `arn:aws:iam::{{AWS::AccountId}}:root` has the account `{{AWS::AccountId}}`.
 */

export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Start offsets of the six segments of an ARN-shaped string, or undefined when it has fewer than six. */
export function arnSegmentStarts(value: string): number[] | undefined {
  if (!value.startsWith('arn:')) return undefined;
  const starts = [0, 4];
  if (value.indexOf('{{') === -1) {
    let i = 4;
    while (starts.length < 6) {
      const colon = value.indexOf(':', i);
      if (colon === -1) return undefined;
      i = colon + 1;
      starts.push(i);
    }
    return starts;
  }
  // Colons inside {{...}} placeholders do not separate segments.
  const length = value.length;
  let i = 4;
  while (i < length && starts.length < 6) {
    const c = value.charCodeAt(i);
    if (c === 123 && value.charCodeAt(i + 1) === 123) {
      const close = value.indexOf('}}', i + 2);
      if (close !== -1) {
        i = close + 2;
        continue;
      }
    }
    if (c === 58) starts.push(i + 1);
    i++;
  }
  return starts.length === 6 ? starts : undefined;
}

/** Split an ARN into its parts; undefined when the value is not ARN-shaped. */
export function parseArn(value: string): ArnParts | undefined {
  const s = arnSegmentStarts(value);
  if (s === undefined) return undefined;
  return {
    partition: value.slice(s[1]!, s[2]! - 1),
    service: value.slice(s[2]!, s[3]! - 1),
    region: value.slice(s[3]!, s[4]! - 1),
    account: value.slice(s[4]!, s[5]! - 1),
    resource: value.slice(s[5]!),
  };
}

/**
 * A compiled ARN pattern (ArnLike / Resource): six segment patterns. `literal` marks pattern characters that are
 * literal even when they are `*` or `?`.
 */
export interface ArnPattern {
  text: string;
  starts: number[];
  literal?: Uint8Array;
}

export function compileArnPattern(text: string, literal?: Uint8Array): ArnPattern | undefined {
  const starts = arnSegmentStarts(text);
  return starts === undefined ? undefined : { text, starts, literal };
}

/** Segment-wise wildcard match of an ARN value against a compiled pattern (case-sensitive). */
export function arnPatternMatches(pattern: ArnPattern, value: string): boolean {
  const valueStarts = arnSegmentStarts(value);
  if (valueStarts === undefined) return false;
  const { text, starts, literal } = pattern;
  for (let segment = 1; segment < 6; segment++) {
    const pStart = starts[segment]!;
    const pEnd = segment === 5 ? text.length : starts[segment + 1]! - 1;
    const vStart = valueStarts[segment]!;
    const vEnd = segment === 5 ? value.length : valueStarts[segment + 1]! - 1;
    const patternSegment = text.slice(pStart, pEnd);
    const valueSegment = value.slice(vStart, vEnd);
    if (patternSegment === '*') continue;
    if (!globMatch(patternSegment, valueSegment, literal, pStart)) return false;
  }
  return true;
}

/** ArnLike semantics for two plain strings: segment-wise, `*` and `?` wildcards, case-sensitive. */
export function arnLike(pattern: string, value: string): boolean {
  const compiled = compileArnPattern(pattern);
  return compiled !== undefined && arnPatternMatches(compiled, value);
}
