/**
 * Null: `"true"` means the key must be absent, `"false"` that it must be present (values case-insensitive; several
 * values are OR-ed). It takes neither IfExists nor a set operator.
 */
export function nullMatches(lowerValues: readonly string[], present: boolean): boolean {
  return lowerValues.includes(present ? 'false' : 'true');
}
