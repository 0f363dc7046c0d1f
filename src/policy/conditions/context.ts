import type { ContextValue } from '../types';
import type { VariableLookup } from './variables';

/** A request context with case-insensitive key lookup (keys lower-cased once per request). */
export type ContextLookup = VariableLookup;

const EMPTY: ContextLookup = () => undefined;

export function contextLookup(context: Readonly<Record<string, ContextValue>> | undefined): ContextLookup {
  if (context === undefined) return EMPTY;
  const keys = Object.keys(context);
  if (keys.length === 0) return EMPTY;
  const lowered = new Map<string, ContextValue>();
  for (const key of keys) {
    const value = context[key];
    if (value !== undefined) lowered.set(key.toLowerCase(), value);
  }
  return (lowerKey) => lowered.get(lowerKey);
}
