import { z } from 'zod';
import { actionsOf, type Mask, maskOfActions, patternMask, statementMask } from '../../kms/action-mask';
import { sodAdminActions, sodUseActions } from '../../kms/actions';
import { actionMatches, normalisePrincipal } from '../../policy';
import type { Statement } from '../../policy/types';
import { replaceActions } from '../policy-edit';
import type { Draft, Rule } from '../rule';
import { statementName } from '../words';

/** The documented key-user statement's actions (AWS KMS Developer Guide, "Allows key users to use the KMS key"). */
const KEY_USER_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

const isAccount = (e: string) => /^\d{12}$/.test(e) || /:root$/.test(e);

const USE = maskOfActions(sodUseActions);
const ADMIN = maskOfActions(sodAdminActions);

/** Does the mask hold both an admin and a use action? */
const coversUseAndAdmin = (mask: Mask): boolean => (mask & USE) !== 0n && (mask & ADMIN) !== 0n;

/** kms:* or *, a NotAction covering both classes, or one wildcard pattern that alone covers both. */
function isWildcard(s: Statement): boolean {
  const patterns = s.action ?? [];
  if (patterns.some((a) => a === '*' || (a.length === 5 && a.toLowerCase() === 'kms:*'))) return true;
  if (s.notAction) return coversUseAndAdmin(statementMask(s));
  return patterns.some((p) => (p.includes('*') || p.includes('?')) && coversUseAndAdmin(patternMask(p)));
}

/** The key-user actions this statement already grants (never more: a fix narrows). */
function keyUserActionsWithin(s: Statement): string[] {
  return actionsOf(statementMask(s)).filter((a) => actionMatches(KEY_USER_ACTIONS, a));
}

export const rule: Rule = {
  id: 'wildcard-permissions',
  title: 'Wildcard KMS permissions to a principal other than the account',
  severity: 'high',
  docs: {
    what: 'A statement gives kms:* (or an action wildcard covering both key administration and key use) to a principal other than the account principal.',
    why: 'Least privilege: a role that can both use and manage the key, including PutKeyPolicy and ScheduleKeyDeletion, turns any compromise of it into a compromise of the key. The account-root kms:* statement is the documented default and is not flagged: it delegates to IAM.',
    fix: 'List the actions the principal needs: the key-user actions for applications, the key-administrator actions for administrators, in separate statements.',
    references: [
      'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html',
      'https://docs.aws.amazon.com/kms/latest/developerguide/least-privilege.html',
    ],
  },
  permissions: ['kms:GetKeyPolicy'],
  parameters: z.object({}),
  check({ policy }) {
    const drafts: Draft[] = [];
    if (!policy) return drafts;
    for (const s of policy.statements) {
      if (s.effect !== 'Allow' || !isWildcard(s)) continue;
      const principals = [
        ...(s.principal?.anyone || s.notPrincipal ? ['*'] : []),
        ...(s.principal?.aws ?? []).filter((e) => !isAccount(e) && e !== '*').map(normalisePrincipal),
        ...(s.principal?.service ?? []),
        ...(s.principal?.federated ?? []),
      ];
      for (const principal of principals) {
        drafts.push({
          title: `Wildcard KMS permissions for ${principal === '*' ? 'anyone' : principal}`,
          explanation: `${statementName(s.sid, s.pointer)} gives ${principal === '*' ? 'Principal "*"' : principal} ${
            s.notAction ? `every KMS action except ${s.notAction.join(', ')}` : (s.action ?? []).join(', ')
          }: it can both use the key and administer it (including changing its policy and scheduling its deletion).`,
          pointer: s.pointer,
          sid: s.sid,
          principal,
          actionClass: 'all',
          remediation: {
            summary: `Give ${principal} only the actions it needs; for an application, the key-user actions ${KEY_USER_ACTIONS.join(', ')}; for an administrator, the administrator actions in a separate statement.`,
            fixedPolicy: replaceActions(policy.document, s.pointer, keyUserActionsWithin(s)),
          },
        });
      }
    }
    return drafts;
  },
};
