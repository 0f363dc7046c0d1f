import { operatorInfo } from '../conditions/operators';
import { childPointer } from '../json-pointer';
import type { Condition } from '../types';
import { conditionValues } from './lists';
import { describe, isPlainObject, type Problems, quote } from './problems';
import { suggestOperator } from './suggest';

/** The Condition block: `{ Operator: { Key: value | [values] } }`, flattened into one Condition per key. */
export function parseConditionBlock(value: unknown, pointer: string, problems: Problems): Condition[] | undefined {
  if (!isPlainObject(value)) {
    problems.add(
      pointer,
      `Condition must be an object such as {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}; found ${describe(value)}.`,
    );
    return undefined;
  }
  const conditions: Condition[] = [];
  let ok = true;
  for (const operator in value) {
    const operatorPointer = childPointer(pointer, operator);
    const info = operatorInfo(operator);
    if (!info.known) {
      const hint = suggestOperator(operator);
      problems.add(
        operatorPointer,
        `Unknown condition operator ${quote(operator)}${hint === undefined ? '' : `; did you mean "${hint}"`}. ` +
          'Use an operator AWS documents (StringEquals, ArnLike, IpAddress, Null, ...), optionally with IfExists ' +
          'and a ForAnyValue:/ForAllValues: prefix.',
      );
      ok = false;
      continue;
    }
    const keys = value[operator];
    if (!isPlainObject(keys)) {
      problems.add(
        operatorPointer,
        `The ${operator} operator must map condition keys to values, e.g. {"aws:SourceAccount": "111122223333"}; found ${describe(keys)}.`,
      );
      ok = false;
      continue;
    }
    for (const key in keys) {
      const keyPointer = childPointer(operatorPointer, key);
      const values = conditionValues(keys[key], keyPointer, problems);
      if (values === undefined) {
        ok = false;
        continue;
      }
      const condition: Condition = {
        operator,
        baseOperator: info.base,
        ifExists: info.ifExists,
        key,
        values,
        pointer: keyPointer,
      };
      if (info.qualifier !== undefined) condition.qualifier = info.qualifier;
      conditions.push(condition);
    }
  }
  return ok ? conditions : undefined;
}
