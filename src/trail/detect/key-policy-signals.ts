/**
 * Signals read off a key policy change event without the policy engine: the lockout safety check turned off,
 * Endgame's signatures, and a policy that leaves the key's own account unable to change it (lockout).
 */
import type { CloudTrailEvent } from './event';
import { accountOfArn, keyAccountOf, keyArnsOf } from './fields';
import { awsPrincipals, policyInEvent, stringList, wildcardMatches } from './policy-text';
import { matchAttackTool } from './user-agents';

/** Events that carry a key policy. */
export const POLICY_EVENTS: ReadonlySet<string> = new Set(['PutKeyPolicy', 'CreateKey']);

const isTrue = (value: unknown): boolean => value === true || value === 'true';

/**
 * PutKeyPolicy (or CreateKey) with BypassPolicyLockoutSafetyCheck: the caller told KMS not to refuse a policy that
 * locks its own principal out. Legitimate uses are rare; ransomware uses it to make a key unmanageable.
 */
export const bypassesLockoutCheck = (event: CloudTrailEvent): boolean =>
  POLICY_EVENTS.has(event.eventName) && isTrue(event.requestParameters?.bypassPolicyLockoutSafetyCheck);

/** Statement Sids Endgame writes into the policies it changes. */
export const ENDGAME_SIDS: readonly string[] = ['Endgame', 'AllowCurrentAccount'];

/** What marks an event as Endgame's work: its user agent, or its Sids in the policy it sets. */
export const endgameSignatures = (event: CloudTrailEvent): string[] => {
  const signatures: string[] = [];
  if (matchAttackTool(event.userAgent)?.tool === 'Endgame') signatures.push(`user agent "${event.userAgent}"`);
  if (POLICY_EVENTS.has(event.eventName)) {
    const policy = policyInEvent(event);
    if (policy.present && 'statements' in policy) {
      for (const statement of policy.statements) {
        const sid = statement.Sid;
        if (typeof sid === 'string' && ENDGAME_SIDS.includes(sid)) signatures.push(`statement Sid "${sid}"`);
      }
    }
  }
  return signatures;
};

const namesAccount = (principal: string, account: string): boolean =>
  principal === '*' || principal === account || accountOfArn(principal) === account;

const grantsPutKeyPolicy = (statement: Record<string, unknown>): boolean => {
  if (statement.NotAction !== undefined) {
    return !stringList(statement.NotAction).some((pattern) => wildcardMatches(pattern, 'kms:PutKeyPolicy'));
  }
  return stringList(statement.Action).some((pattern) => wildcardMatches(pattern, 'kms:PutKeyPolicy'));
};

/**
 * True when the policy an event sets leaves no principal of the key's own account able to call kms:PutKeyPolicy:
 * no Allow of it to the account, its root, one of its principals or `*`, or an unconditional Deny of it to `*`.
 * Undecidable cases (no policy, invalid JSON, no key account) answer false: the exposure replay reports those.
 */
export const locksOutOwnAccount = (event: CloudTrailEvent): boolean => {
  if (!POLICY_EVENTS.has(event.eventName)) return false;
  const policy = policyInEvent(event);
  if (!policy.present || !('statements' in policy)) return false;
  const keyArn = keyArnsOf(event)[0];
  const account = (keyArn && keyAccountOf(keyArn)) ?? event.recipientAccountId ?? undefined;
  if (!account) return false;
  let allowed = false;
  for (const statement of policy.statements) {
    if (!grantsPutKeyPolicy(statement)) continue;
    const principals = awsPrincipals(statement);
    if (statement.Effect === 'Deny' && principals.includes('*') && statement.Condition === undefined) return true;
    if (statement.Effect === 'Allow' && principals.some((principal) => namesAccount(principal, account))) {
      allowed = true;
    }
  }
  return !allowed;
};
