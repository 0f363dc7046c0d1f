/**
 * The decision on one request to a key: key policy plus grants, evaluated together as a resource policy (a key
 * policy Deny beats a grant), then KMS's cross-account limit: principals of another account can call only the
 * operations KMS allows across accounts.
 */
import { evaluate, parseCaller } from '../policy';
import type { Evaluation, ParsedPolicy, Request } from '../policy/types';
import { isCrossAccountAction } from './actions';
import { grantStatements } from './grants';
import type { Grant } from './snapshot';

export function withGrants(policy: ParsedPolicy, grants: readonly Grant[]): ParsedPolicy {
  if (grants.length === 0) return policy;
  return { ...policy, statements: [...policy.statements, ...grantStatements(grants)] };
}

export function decide(account: string, policy: ParsedPolicy, grants: readonly Grant[], request: Request): Evaluation {
  const result = evaluate(withGrants(policy, grants), request);
  if (result.decision !== 'allow') return result;
  const caller = parseCaller(request.principal);
  const outsider =
    caller.kind === 'anonymous' ||
    (caller.kind !== 'service' && caller.account !== undefined && caller.account !== account);
  if (outsider && !isCrossAccountAction(request.action)) return { decision: 'implicit-deny', decidedBy: [] };
  return result;
}
