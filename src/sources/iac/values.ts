/** Small predicates over resolved values: symbolic or concrete, and string/boolean/number coercions. */

export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** An `Fn::If` whose condition cannot be decided before deploy: both branches are kept. */
export function isUndecidedIf(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'Fn::If' in value;
}

/** True when the value, or anything inside it, is not known before deploy. */
export function isSymbolic(value: unknown, depth = 0): boolean {
  if (depth > 200) return true;
  if (typeof value === 'string') return value.includes('{{');
  if (Array.isArray(value)) return value.some((item) => isSymbolic(item, depth + 1));
  if (typeof value === 'object' && value !== null) {
    if (isUndecidedIf(value)) return true;
    return Object.values(value).some((item) => isSymbolic(item, depth + 1));
  }
  return false;
}

/** A scalar as CloudFormation would turn it into a string; undefined for anything else. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** CloudFormation booleans may be written as `true` or as the string "true" (any case). */
export function booleanOf(value: unknown): boolean | 'symbolic' | undefined {
  if (value === undefined || value === null || value === NO_VALUE) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (isSymbolic(value)) return 'symbolic';
    if (value.toLowerCase() === 'true') return true;
    if (value.toLowerCase() === 'false') return false;
    return undefined;
  }
  return isSymbolic(value) ? 'symbolic' : undefined;
}

export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
