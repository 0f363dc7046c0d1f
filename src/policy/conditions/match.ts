import type { Condition, ContextValue } from '../types';
import { type ContextLookup, contextLookup } from './context';
import { nullMatches } from './null';
import { type BaseOperator, operatorInfo } from './operators';
import {
  type PolicyVariables,
  parseValueTemplate,
  resolveTemplate,
  type ValueTemplate,
  type VariableLookup,
  variableLookup,
} from './variables';

/**
 * Condition evaluation (README rules 4 and 5). Keys and operators of one block are AND-ed; the values of one key are
 * OR-ed, and NOR-ed for negated operators. A key absent from the request: positive operators false, negated ones
 * true, `...IfExists` true, `ForAllValues:` true, `ForAnyValue:` false, `Null` tests presence. A multivalued request
 * value (an array) needs a set operator: without one the condition does not match.
 */

interface PreparedValue {
  /** The value compiled as plain text (also the form used when variables are off). */
  plain: unknown;
  /** Present when the value has `${...}` and the operator takes variables. */
  template?: ValueTemplate;
  /** The compiled form with escapes applied, for templates without real variables. */
  escaped?: unknown;
}

interface PreparedCondition {
  key: string;
  operator: BaseOperator | undefined;
  qualifier: Condition['qualifier'];
  ifExists: boolean;
  values: PreparedValue[];
  /** Raw values lower-cased (used by Null). */
  rawValues: string[];
}

const prepared = new WeakMap<Condition, PreparedCondition>();

function prepare(condition: Condition): PreparedCondition {
  let p = prepared.get(condition);
  if (p !== undefined) return p;
  const info = operatorInfo(condition.operator);
  const operator = info.definition;
  const values: PreparedValue[] = [];
  if (operator?.matcher !== undefined) {
    const matcher = operator.matcher;
    for (const raw of condition.values) {
      const plain = matcher.prepare({ text: raw });
      const template = operator.variables ? parseValueTemplate(raw) : undefined;
      if (template === undefined) {
        values.push({ plain });
      } else {
        const escaped = template.dynamic
          ? undefined
          : prepareResolved(operator, resolveTemplate(template, undefined, operator.lowerCase));
        values.push({ plain, template, escaped });
      }
    }
  }
  p = {
    key: condition.key.toLowerCase(),
    operator,
    qualifier: info.qualifier,
    ifExists: info.ifExists,
    values,
    rawValues: operator?.family === 'Null' ? condition.values.map((v) => v.toLowerCase()) : [],
  };
  prepared.set(condition, p);
  return p;
}

function prepareResolved(operator: BaseOperator, resolved: ReturnType<typeof resolveTemplate>): unknown {
  return resolved === undefined ? undefined : operator.matcher!.prepare(resolved);
}

/** One request value against one policy value: true / false / undefined (not comparable). */
function compareValue(
  operator: BaseOperator,
  value: PreparedValue,
  requestValue: string,
  vars: VariableLookup | undefined,
): boolean | undefined {
  let compiled = value.plain;
  if (value.template !== undefined && vars !== undefined) {
    compiled = value.template.dynamic
      ? prepareResolved(operator, resolveTemplate(value.template, vars, operator.lowerCase))
      : value.escaped;
  }
  if (compiled === undefined) return undefined;
  return operator.matcher!.test(requestValue, compiled);
}

/** One request value against all policy values: OR for positive operators, NOR (all comparable) for negated. */
function matchesOne(
  p: PreparedCondition,
  operator: BaseOperator,
  requestValue: string,
  vars: VariableLookup | undefined,
) {
  if (operator.negated) {
    for (const value of p.values) if (compareValue(operator, value, requestValue, vars) !== false) return false;
    return true;
  }
  for (const value of p.values) if (compareValue(operator, value, requestValue, vars) === true) return true;
  return false;
}

function passesWhenAbsent(p: PreparedCondition): boolean {
  const operator = p.operator;
  if (operator === undefined) return false;
  if (operator.family === 'Null') return nullMatches(p.rawValues, false);
  if (p.ifExists) return true;
  if (p.qualifier === 'ForAllValues') return true;
  if (p.qualifier === 'ForAnyValue') return false;
  return operator.negated;
}

function matchPrepared(
  p: PreparedCondition,
  value: ContextValue | undefined,
  vars: VariableLookup | undefined,
): boolean {
  const operator = p.operator;
  if (operator === undefined) return false; // unknown operator: never matches (parse rejects it)
  if (value === undefined) return passesWhenAbsent(p);
  if (operator.family === 'Null') return nullMatches(p.rawValues, true);
  if (p.qualifier === undefined) {
    return typeof value === 'string' && matchesOne(p, operator, value, vars);
  }
  if (typeof value === 'string') return matchesOne(p, operator, value, vars);
  if (p.qualifier === 'ForAnyValue') {
    for (const item of value) if (matchesOne(p, operator, item, vars)) return true;
    return false;
  }
  for (const item of value) if (!matchesOne(p, operator, item, vars)) return false;
  return true;
}

/** Internal fast path: conditions against a prepared context lookup; `vars` undefined turns variables off. */
export function conditionsMatchLookup(
  conditions: readonly Condition[],
  context: ContextLookup,
  vars: VariableLookup | undefined,
): boolean {
  for (const condition of conditions) {
    const p = prepare(condition);
    if (!matchPrepared(p, context(p.key), vars)) return false;
  }
  return true;
}

/**
 * True when every condition matches the request context. Policy variables come from `vars` when given, else from
 * the context itself.
 */
export function conditionsMatch(
  conditions: readonly Condition[],
  context: Readonly<Record<string, ContextValue>> | undefined,
  vars?: PolicyVariables,
): boolean {
  const lookup = contextLookup(context);
  return conditionsMatchLookup(conditions, lookup, vars === undefined ? lookup : variableLookup(vars));
}

/** One condition against the value its key has in a request (undefined = the key is absent). */
export function conditionMatchesValue(
  condition: Condition,
  value: ContextValue | undefined,
  vars?: PolicyVariables,
): boolean {
  return matchPrepared(prepare(condition), value, vars === undefined ? undefined : variableLookup(vars));
}

/** True when the condition passes for a request that lacks its key (README rule 5). */
export function conditionPassesWhenAbsent(condition: Condition): boolean {
  return passesWhenAbsent(prepare(condition));
}
