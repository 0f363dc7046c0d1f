import type { SetOperator } from '../types';
import { arnLikeMatcher } from './arn';
import { binaryEquals } from './binary';
import { boolMatcher } from './bool';
import { dateMatcher } from './date';
import { ipAddressMatcher } from './ip';
import type { ValueMatcher } from './matcher';
import { numericMatcher } from './numeric';
import { stringEquals, stringEqualsIgnoreCase, stringLike } from './string';

/**
 * The condition operators AWS documents: the one definition keywarden has of them. Each base operator names its
 * family, whether it is negated (true when the key is absent; NOR over its values), whether its values take policy
 * variables, and the matcher of its positive form.
 */

export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

export interface BaseOperator {
  name: string;
  family: OperatorFamily;
  negated: boolean;
  /** Policy variables (`${aws:username}`) are substituted in its values (Version 2012-10-17). */
  variables: boolean;
  /** Values are lower-cased when substituted (IgnoreCase operators). */
  lowerCase: boolean;
  /** Undefined for Null, which only tests presence. */
  matcher?: ValueMatcher;
}

function op(
  name: string,
  family: OperatorFamily,
  matcher: ValueMatcher | undefined,
  options: { negated?: boolean; variables?: boolean; lowerCase?: boolean } = {},
): BaseOperator {
  return {
    name,
    family,
    matcher,
    negated: options.negated ?? false,
    variables: options.variables ?? false,
    lowerCase: options.lowerCase ?? false,
  };
}

const v = { variables: true };
const nv = { variables: true, negated: true };
const not = { negated: true };

export const BASE_OPERATORS: readonly BaseOperator[] = [
  op('StringEquals', 'String', stringEquals as ValueMatcher, v),
  op('StringNotEquals', 'String', stringEquals as ValueMatcher, nv),
  op('StringEqualsIgnoreCase', 'String', stringEqualsIgnoreCase as ValueMatcher, { ...v, lowerCase: true }),
  op('StringNotEqualsIgnoreCase', 'String', stringEqualsIgnoreCase as ValueMatcher, { ...nv, lowerCase: true }),
  op('StringLike', 'String', stringLike as ValueMatcher, v),
  op('StringNotLike', 'String', stringLike as ValueMatcher, nv),
  op('NumericEquals', 'Numeric', numericMatcher('eq') as ValueMatcher),
  op('NumericNotEquals', 'Numeric', numericMatcher('eq') as ValueMatcher, not),
  op('NumericLessThan', 'Numeric', numericMatcher('lt') as ValueMatcher),
  op('NumericLessThanEquals', 'Numeric', numericMatcher('lte') as ValueMatcher),
  op('NumericGreaterThan', 'Numeric', numericMatcher('gt') as ValueMatcher),
  op('NumericGreaterThanEquals', 'Numeric', numericMatcher('gte') as ValueMatcher),
  op('DateEquals', 'Date', dateMatcher('eq') as ValueMatcher),
  op('DateNotEquals', 'Date', dateMatcher('eq') as ValueMatcher, not),
  op('DateLessThan', 'Date', dateMatcher('lt') as ValueMatcher),
  op('DateLessThanEquals', 'Date', dateMatcher('lte') as ValueMatcher),
  op('DateGreaterThan', 'Date', dateMatcher('gt') as ValueMatcher),
  op('DateGreaterThanEquals', 'Date', dateMatcher('gte') as ValueMatcher),
  op('Bool', 'Bool', boolMatcher as ValueMatcher, v),
  op('BinaryEquals', 'Binary', binaryEquals as ValueMatcher, v),
  op('IpAddress', 'IpAddress', ipAddressMatcher as ValueMatcher),
  op('NotIpAddress', 'IpAddress', ipAddressMatcher as ValueMatcher, not),
  op('ArnEquals', 'Arn', arnLikeMatcher as ValueMatcher, v),
  op('ArnLike', 'Arn', arnLikeMatcher as ValueMatcher, v),
  op('ArnNotEquals', 'Arn', arnLikeMatcher as ValueMatcher, nv),
  op('ArnNotLike', 'Arn', arnLikeMatcher as ValueMatcher, nv),
  op('Null', 'Null', undefined),
];

const byLowerName = new Map<string, BaseOperator>(BASE_OPERATORS.map((o) => [o.name.toLowerCase(), o]));

/** What an operator as written means. `known` is false for anything AWS does not document. */
export interface OperatorInfo {
  /** Canonical base name (`StringLike`), or the base as written when unknown. */
  base: string;
  qualifier?: SetOperator;
  ifExists: boolean;
  negated: boolean;
  known: boolean;
  /** The base operator's definition when known. */
  definition?: BaseOperator;
}

const infoCache = new Map<string, OperatorInfo>();

/** Split `ForAnyValue:StringLikeIfExists` into qualifier, base and IfExists (names compared case-insensitively). */
export function operatorInfo(operator: string): OperatorInfo {
  const cached = infoCache.get(operator);
  if (cached !== undefined) return cached;
  const info = computeOperatorInfo(operator);
  if (infoCache.size >= 2000) infoCache.clear();
  infoCache.set(operator, Object.freeze(info));
  return info;
}

function computeOperatorInfo(operator: string): OperatorInfo {
  let rest = operator;
  let qualifier: SetOperator | undefined;
  const lower = operator.toLowerCase();
  if (lower.startsWith('foranyvalue:')) {
    qualifier = 'ForAnyValue';
    rest = operator.slice('ForAnyValue:'.length);
  } else if (lower.startsWith('forallvalues:')) {
    qualifier = 'ForAllValues';
    rest = operator.slice('ForAllValues:'.length);
  }
  let ifExists = false;
  let definition = byLowerName.get(rest.toLowerCase());
  if (definition === undefined && rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
    definition = byLowerName.get(rest.toLowerCase());
  }
  // Null tests presence only: it takes neither IfExists nor a set operator.
  if (definition?.family === 'Null' && (ifExists || qualifier !== undefined)) definition = undefined;
  if (definition === undefined) {
    return { base: rest, qualifier, ifExists, negated: false, known: false };
  }
  return { base: definition.name, qualifier, ifExists, negated: definition.negated, known: true, definition };
}

/** Every operator name AWS documents, for "did you mean" hints. */
export function knownOperatorNames(): string[] {
  return BASE_OPERATORS.map((o) => o.name);
}
