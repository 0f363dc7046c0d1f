import { z } from 'zod';
import { normalisePrincipal } from '../../policy';
import type { Draft, Rule } from '../rule';
import { actionList, statementName } from '../words';

export const rule: Rule = {
  id: 'separation-of-duties',
  title: 'One principal both administers and uses the key',
  severity: 'medium',
  docs: {
    what: 'A principal other than an account principal can both use the key (Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*) and administer it (Create*, Delete*, Put*, Disable*, ScheduleKeyDeletion; not CreateGrant). Judged per principal, not over the whole policy.',
    why: 'Separation of duties keeps one compromised identity from both reading protected data and changing or destroying the key that protects it.',
    fix: 'Give key administrators and key users separate principals and separate statements.',
    references: [
      'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html',
      'https://docs.aws.amazon.com/prescriptive-guidance/latest/aws-kms-best-practices/access-control.html',
    ],
  },
  permissions: ['kms:GetKeyPolicy', 'kms:ListGrants'],
  parameters: z.object({}),
  check({ access, policy }) {
    const drafts: Draft[] = [];
    if (!policy) return drafts;
    for (const v of access.separationOfDuties.violators) {
      const s = policy.statements.find(
        (x) =>
          x.effect === 'Allow' &&
          ((x.principal?.aws ?? []).map(normalisePrincipal).includes(v.principal) ||
            (x.principal?.service ?? []).includes(v.principal) ||
            (v.principal === '*' && x.principal?.anyone)),
      );
      const pointer = s?.pointer ?? '';
      drafts.push({
        title: `${v.principal === '*' ? 'Anyone' : v.principal} both administers and uses the key`,
        explanation: `${v.principal} can use the key (${actionList(v.useActions, 4)}) and administer it (${actionList(v.adminActions, 4)})${
          s ? `; see ${statementName(s.sid, s.pointer)}` : ''
        }.`,
        pointer,
        sid: s?.sid,
        principal: v.principal,
        actionClass: 'use+admin',
        example: { principal: v.principal, action: v.adminActions[0]! },
        remediation: {
          summary: `Split the duties: keep ${v.principal} either as a key user or as a key administrator, and give the other role to a separate principal.`,
        },
      });
    }
    return drafts;
  },
};
