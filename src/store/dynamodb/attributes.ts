import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { StoreError } from '../errors';

/** A DynamoDB item, marshalled by hand (no @aws-sdk/util-dynamodb in this project). */
export type Item = Record<string, AttributeValue>;

export const S = (value: string): AttributeValue => ({ S: value });
export const N = (value: number): AttributeValue => ({ N: String(value) });
export const B = (value: Uint8Array): AttributeValue => ({ B: value });

const missing = (item: Item, name: string): StoreError =>
  new StoreError(
    `DynamoDB item ${item.pk?.S ?? '?'} / ${item.sk?.S ?? '?'} has no attribute ${name}: ` +
      'the table holds data keywarden did not write; use a table of its own',
    'dynamodb',
  );

export const str = (item: Item, name: string): string => {
  const value = item[name]?.S;
  if (value === undefined) throw missing(item, name);
  return value;
};

export const optStr = (item: Item, name: string): string | undefined => item[name]?.S;

export const num = (item: Item, name: string): number => {
  const value = item[name]?.N;
  if (value === undefined) throw missing(item, name);
  return Number(value);
};

export const optNum = (item: Item, name: string): number | undefined => {
  const value = item[name]?.N;
  return value === undefined ? undefined : Number(value);
};

export const optBin = (item: Item, name: string): Uint8Array | undefined => item[name]?.B;

export const json = (item: Item, name: string): unknown => JSON.parse(str(item, name));

/** `#name` placeholders of an expression, each standing for the attribute of the same name. */
export const namesIn = (...expressions: Array<string | undefined>): Record<string, string> | undefined => {
  const names: Record<string, string> = {};
  for (const expression of expressions) {
    for (const match of expression?.matchAll(/#(\w+)/g) ?? []) names[match[0]] = match[1]!;
  }
  return Object.keys(names).length > 0 ? names : undefined;
};
