/** Plain-language pieces shared by rule explanations. */
import type { PrincipalAccess } from '../kms/access-map';
import type { ParsedPolicy, Statement } from '../policy/types';

export function who(principal: string, kind?: string): string {
  if (principal === '*') return 'anyone';
  const root = /^arn:[\w-]+:iam::([^:]+):root$/.exec(principal);
  if (root) return `every principal of account ${root[1]} whose IAM policy allows it`;
  if (kind === 'service') return `the AWS service ${principal}`;
  return principal;
}

export function actionList(actions: readonly string[], max = 6): string {
  if (actions.length <= max) return actions.join(', ');
  return `${actions.slice(0, max).join(', ')} and ${actions.length - max} more`;
}

export const statementName = (sid: string | undefined, pointer: string): string =>
  sid ? `statement "${sid}" (${pointer})` : `the statement at ${pointer}`;

/** The first statement path of a principal's access, for evidence. */
export function firstStatement(p: PrincipalAccess): { pointer: string; sid?: string } | undefined {
  for (const v of p.via) if (v.kind === 'statement') return { pointer: v.pointer, sid: v.sid };
  return undefined;
}

export const accountRoot = (account: string): string => `arn:aws:iam::${account}:root`;

export const statementAt = (policy: ParsedPolicy, pointer: string): Statement | undefined =>
  policy.statements.find((s) => s.pointer === pointer);
