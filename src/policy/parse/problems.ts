import type { PolicyError } from '../types';

/** Collects every problem of a policy (not only the first), each with the JSON pointer of the offending element. */
export class Problems {
  readonly errors: PolicyError[] = [];

  add(pointer: string, message: string): void {
    this.errors.push({ message, pointer });
  }

  get any(): boolean {
    return this.errors.length > 0;
  }
}

/** A short description of a JSON value for messages: `a number (5)`, `an array`, `null`. Never echoes long text. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `the string ${quote(value)}`;
    case 'number':
      return `a number (${value})`;
    case 'boolean':
      return `a boolean (${value})`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** A JSON-quoted, length-limited copy of a string for messages. */
export function quote(text: string): string {
  const cut = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return JSON.stringify(cut);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
