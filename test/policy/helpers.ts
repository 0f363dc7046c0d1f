import { conditionMatchesValue, operatorInfo, parsePolicyValue } from '../../src/policy';
import type { Condition, ContextValue, ParsedPolicy } from '../../src/policy/types';

/** A Condition as the parser would build it. */
export function condition(operator: string, key: string, values: string[]): Condition {
  const info = operatorInfo(operator);
  const c: Condition = {
    operator,
    baseOperator: info.base,
    ifExists: info.ifExists,
    key,
    values,
    pointer: `/Statement/0/Condition/${operator}/${key}`,
  };
  if (info.qualifier !== undefined) c.qualifier = info.qualifier;
  return c;
}

/** One row of an operator table: operator, policy values, request value (undefined = absent), expected result. */
export type OperatorRow = [operator: string, values: string[], request: ContextValue | undefined, expected: boolean];

/** Run a row against the engine (variables from `vars` when given). */
export function runRow(row: OperatorRow, vars?: Record<string, ContextValue>): boolean {
  const [operator, values, request] = row;
  return conditionMatchesValue(condition(operator, 'test:key', values), request, vars);
}

/** Parse a policy that must be valid. */
export function policy(document: unknown): ParsedPolicy {
  const result = parsePolicyValue(document);
  if (!result.ok) throw new Error(`policy rejected: ${JSON.stringify(result.errors)}`);
  return result.policy;
}
