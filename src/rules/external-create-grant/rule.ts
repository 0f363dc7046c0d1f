import { z } from 'zod';
import { actionsOf, statementMask } from '../../kms/action-mask';
import { addCondition } from '../policy-edit';
import type { Draft, Rule } from '../rule';
import { statementName } from '../words';

export const rule: Rule = {
  id: 'external-create-grant',
  title: 'CreateGrant given to an outside party',
  severity: 'high',
  docs: {
    what: 'A principal outside the account may call kms:CreateGrant on the key, without the kms:GrantIsForAWSResource condition.',
    why: "Whoever can create grants can give the key's operations to any principal, including principals you never named: CreateGrant is delegation, not use.",
    fix: 'Remove kms:CreateGrant from the outside principal, or add "Bool": {"kms:GrantIsForAWSResource": "true"} so only AWS services integrated with KMS can create grants on its behalf.',
    references: [
      'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource',
    ],
  },
  permissions: ['kms:GetKeyPolicy', 'kms:ListGrants'],
  parameters: z.object({}),
  check({ access, policy }) {
    const drafts: Draft[] = [];
    if (!policy) return drafts;
    for (const p of access.principals) {
      if (!p.external || !p.actions.includes('kms:CreateGrant')) continue;
      for (const v of p.via) {
        if (v.kind === 'grant') {
          drafts.push({
            title: `Grant lets ${p.principal} create grants`,
            explanation: `Grant ${v.grantId} lets ${p.principal}, outside the account, call CreateGrant: it can pass the key's operations on to anyone.`,
            pointer: `grant:${v.grantId}`,
            principal: p.principal,
            actionClass: 'grant',
            remediation: { summary: `Revoke grant ${v.grantId} and issue one without the CreateGrant operation.` },
          });
          continue;
        }
        const s = policy.statements.find((x) => x.pointer === v.pointer);
        if (!s || !actionsOf(statementMask(s)).includes('kms:CreateGrant')) continue;
        if (s.conditions.some((c) => c.key.toLowerCase() === 'kms:grantisforawsresource')) continue;
        drafts.push({
          title: `CreateGrant given to ${p.principal === '*' ? 'anyone' : p.principal}`,
          explanation: `${statementName(v.sid, v.pointer)} lets ${p.principal === '*' ? 'callers outside the account' : p.principal} call kms:CreateGrant without kms:GrantIsForAWSResource: they can give this key's operations to principals you never named.`,
          pointer: v.pointer,
          sid: v.sid,
          principal: p.principal,
          actionClass: 'grant',
          example:
            p.example && s.conditions.length === 0
              ? { principal: p.example.principal, action: 'kms:CreateGrant' }
              : undefined,
          remediation: {
            summary:
              'Add the condition "Bool": {"kms:GrantIsForAWSResource": "true"} so grants can be created only for AWS services, or remove kms:CreateGrant.',
            fixedPolicy: addCondition(policy.document, v.pointer, 'Bool', 'kms:GrantIsForAWSResource', 'true'),
          },
        });
      }
    }
    return drafts;
  },
};
