import { childPointer } from '../json-pointer';
import type { Statement } from '../types';
import { parseConditionBlock } from './condition';
import { stringList } from './lists';
import { parsePrincipal } from './principal';
import { describe, isPlainObject, type Problems, quote } from './problems';
import { closest } from './suggest';

/** One statement: Sid, Effect, Principal/NotPrincipal, Action/NotAction, Resource/NotResource, Condition. */

const ELEMENTS = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
];
const KNOWN = new Set(ELEMENTS);
const NO_CONDITIONS = Object.freeze([]) as unknown as Statement['conditions'];

export function parseStatement(
  value: unknown,
  index: number,
  pointer: string,
  problems: Problems,
): Statement | undefined {
  if (!isPlainObject(value)) {
    problems.add(
      pointer,
      `A statement must be an object with Effect, Principal, Action and Resource; found ${describe(value)}.`,
    );
    return undefined;
  }
  const before = problems.errors.length;
  for (const key in value) {
    if (KNOWN.has(key)) continue;
    const hint = closest(key, ELEMENTS);
    problems.add(
      childPointer(pointer, key),
      `Unknown statement element ${quote(key)}${hint === undefined ? '' : `; did you mean "${hint}" (element names are case-sensitive)`}. ` +
        `A statement may only have ${ELEMENTS.join(', ')}.`,
    );
  }

  const sid = value.Sid;
  if (sid !== undefined && typeof sid !== 'string') {
    problems.add(`${pointer}/Sid`, `Sid must be a string; found ${describe(sid)}.`);
  }

  const effect = value.Effect;
  if (effect === undefined) {
    problems.add(pointer, 'The statement has no Effect; add "Effect": "Allow" or "Effect": "Deny".');
  } else if (effect !== 'Allow' && effect !== 'Deny') {
    problems.add(`${pointer}/Effect`, `Effect must be "Allow" or "Deny" (case-sensitive); found ${describe(effect)}.`);
  }

  const statement: Statement = { index, pointer, effect: effect as Statement['effect'], conditions: NO_CONDITIONS };
  if (typeof sid === 'string') statement.sid = sid;

  if (value.Principal !== undefined && value.NotPrincipal !== undefined) {
    problems.add(`${pointer}/NotPrincipal`, 'A statement may have Principal or NotPrincipal, not both.');
  } else if (value.Principal !== undefined) {
    statement.principal = parsePrincipal(value.Principal, `${pointer}/Principal`, 'Principal', problems);
  } else if (value.NotPrincipal !== undefined) {
    statement.notPrincipal = parsePrincipal(value.NotPrincipal, `${pointer}/NotPrincipal`, 'NotPrincipal', problems);
  }

  if (value.Action !== undefined && value.NotAction !== undefined) {
    problems.add(`${pointer}/NotAction`, 'A statement may have Action or NotAction, not both.');
  } else if (value.Action !== undefined) {
    statement.action = stringList(value.Action, `${pointer}/Action`, 'Action', problems);
  } else if (value.NotAction !== undefined) {
    statement.notAction = stringList(value.NotAction, `${pointer}/NotAction`, 'NotAction', problems);
  } else {
    problems.add(pointer, 'The statement has no Action or NotAction; add e.g. "Action": "kms:Decrypt".');
  }

  if (value.Resource !== undefined && value.NotResource !== undefined) {
    problems.add(`${pointer}/NotResource`, 'A statement may have Resource or NotResource, not both.');
  } else if (value.Resource !== undefined) {
    statement.resource = stringList(value.Resource, `${pointer}/Resource`, 'Resource', problems);
  } else if (value.NotResource !== undefined) {
    statement.notResource = stringList(value.NotResource, `${pointer}/NotResource`, 'NotResource', problems);
  }

  if (value.Condition !== undefined) {
    const conditions = parseConditionBlock(value.Condition, `${pointer}/Condition`, problems);
    if (conditions !== undefined) statement.conditions = conditions;
  }
  return problems.errors.length === before ? statement : undefined;
}
