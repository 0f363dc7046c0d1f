import type { ContextValue } from '../types';
import type { VariableLookup } from './variables';

/**
 * A request context with case-insensitive key lookup. The lower-cased index is built on the first lookup only
 * (requests that reach no condition never pay for it) and shared by every evaluation of the same context object.
 */
export type ContextLookup = VariableLookup;

type Context = Readonly<Record<string, ContextValue>>;

const EMPTY: ContextLookup = () => undefined;
const indexes = new WeakMap<Context, Map<string, ContextValue>>();

function index(context: Context): Map<string, ContextValue> {
  let lowered = indexes.get(context);
  if (lowered === undefined) {
    lowered = new Map();
    for (const key in context) {
      const value = context[key];
      if (value !== undefined) lowered.set(key.toLowerCase(), value);
    }
    indexes.set(context, lowered);
  }
  return lowered;
}

export function contextLookup(context: Context | undefined): ContextLookup {
  if (context === undefined) return EMPTY;
  let lowered: Map<string, ContextValue> | undefined;
  return (lowerKey) => {
    lowered ??= index(context);
    return lowered.get(lowerKey);
  };
}
