import { childPointer } from '../json-pointer';
import { describe, type Problems } from './problems';

/**
 * Elements written as a string or an array of strings (Action, Resource, principal entries). Returns the strings
 * (the document's own array when it already holds only strings: no copy), or undefined after recording errors.
 */
export function stringList(
  value: unknown,
  pointer: string,
  element: string,
  problems: Problems,
  type?: string,
): string[] | undefined {
  if (typeof value === 'string') return [value];
  const what = type === undefined ? element : `${element} ${type}`;
  if (!Array.isArray(value)) {
    problems.add(pointer, `${what} must be a string or an array of strings; found ${describe(value)}.`);
    return undefined;
  }
  let ok = true;
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string') {
      problems.add(childPointer(pointer, i), `Each ${what} entry must be a string; found ${describe(value[i])}.`);
      ok = false;
    }
  }
  return ok ? (value as string[]) : undefined;
}

/**
 * Condition values: a string, number or boolean, or an array of them; stored as strings (`5` -> `"5"`,
 * `true` -> `"true"`).
 */
export function conditionValues(value: unknown, pointer: string, problems: Problems): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (!Array.isArray(value)) {
    problems.add(
      pointer,
      `A condition value must be a string, number or boolean, or an array of them; found ${describe(value)}.`,
    );
    return undefined;
  }
  let strings = true;
  let ok = true;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (typeof item === 'string') continue;
    strings = false;
    if (typeof item !== 'number' && typeof item !== 'boolean') {
      problems.add(
        childPointer(pointer, i),
        `A condition value must be a string, number or boolean; found ${describe(item)}.`,
      );
      ok = false;
    }
  }
  if (!ok) return undefined;
  return strings ? (value as string[]) : value.map((item) => String(item));
}
