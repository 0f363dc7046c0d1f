import { z } from 'zod';
import { addCondition } from '../policy-edit';
import type { Draft, Rule } from '../rule';
import { actionList, statementName } from '../words';

export const rule: Rule = {
  id: 'public-key',
  title: 'Key usable by anyone',
  severity: 'critical',
  docs: {
    what: 'The key policy lets a caller of any AWS account, or an unsigned caller, use or manage the key without meeting a condition that only known parties can meet.',
    why: 'A public key can be used to decrypt data encrypted under it, or to encrypt data you then cannot read. Conditions such as kms:ViaService or aws:SecureTransport do not limit who the caller is.',
    fix: 'Name the principals in Principal, or pin "*" with a condition only your callers can meet (aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceVpce...).',
    references: [
      'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html',
    ],
  },
  permissions: ['kms:GetKeyPolicy', 'kms:ListGrants'],
  parameters: z.object({}),
  check({ access, policy, snapshot }) {
    const drafts: Draft[] = [];
    if (!policy) return drafts;
    for (const p of access.principals) {
      if (!p.public) continue;
      for (const v of p.via) {
        if (v.kind !== 'statement' || !v.public) continue;
        drafts.push({
          title: 'Key usable by anyone',
          explanation: `${statementName(v.sid, v.pointer)} allows Principal "*" to call ${actionList(p.actions)} on this key${
            v.conditional ? ' under conditions that any caller can meet' : ' with no condition'
          }. A caller of any AWS account (or an unsigned request) gets access.`,
          pointer: v.pointer,
          sid: v.sid,
          principal: '*',
          actionClass: p.classes.join('+'),
          example: p.example,
          remediation: {
            summary: `Pin the statement to your account (added condition aws:PrincipalAccount = ${snapshot.account}), or name the principals that need access.`,
            fixedPolicy: addCondition(
              policy.document,
              v.pointer,
              'StringEquals',
              'aws:PrincipalAccount',
              snapshot.account,
            ),
          },
        });
      }
    }
    return drafts;
  },
};
