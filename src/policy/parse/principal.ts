import { childPointer } from '../json-pointer';
import type { PrincipalSet } from '../types';
import { stringList } from './lists';
import { describe, isPlainObject, type Problems, quote } from './problems';

/** Principal / NotPrincipal: `"*"`, or an object of AWS / Service / Federated / CanonicalUser entries. */

const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
/** Shared, frozen: principal lists are read-only data. */
const EMPTY = Object.freeze([]) as unknown as string[];

function isPrincipalType(type: string): boolean {
  return (PRINCIPAL_TYPES as readonly string[]).includes(type);
}

export function parsePrincipal(
  value: unknown,
  pointer: string,
  element: 'Principal' | 'NotPrincipal',
  problems: Problems,
): PrincipalSet | undefined {
  if (value === '*')
    return { anyone: true, aws: EMPTY, service: EMPTY, federated: EMPTY, canonicalUser: EMPTY, pointer };
  if (!isPlainObject(value)) {
    problems.add(
      pointer,
      `${element} must be "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}; found ${describe(value)}.`,
    );
    return undefined;
  }
  const set: PrincipalSet = {
    anyone: false,
    aws: EMPTY,
    service: EMPTY,
    federated: EMPTY,
    canonicalUser: EMPTY,
    pointer,
  };
  let ok = true;
  let entries = 0;
  for (const type in value) {
    const entryPointer = childPointer(pointer, type);
    if (!isPrincipalType(type)) {
      problems.add(
        entryPointer,
        `Unknown principal type ${quote(type)} in ${element}; use AWS, Service, Federated or CanonicalUser.`,
      );
      ok = false;
      continue;
    }
    const list = stringList(value[type], entryPointer, element, problems, type);
    if (list === undefined) {
      ok = false;
      continue;
    }
    entries += list.length;
    switch (type) {
      case 'AWS':
        set.aws = list;
        if (list.includes('*')) set.anyone = true;
        break;
      case 'Service':
        set.service = list;
        break;
      case 'Federated':
        set.federated = list;
        break;
      default:
        set.canonicalUser = list;
    }
  }
  if (ok && entries === 0) {
    problems.add(pointer, `${element} names no principal; list at least one, e.g. {"AWS": "111122223333"}.`);
    return undefined;
  }
  return ok ? set : undefined;
}
