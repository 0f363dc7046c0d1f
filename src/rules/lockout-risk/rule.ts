import { z } from 'zod';
import { accountOf } from '../../kms/access';
import { statementMask } from '../../kms/action-mask';
import { KEY_ACTIONS } from '../../kms/actions';
import { normalisePrincipal, parseCaller, principalMatches } from '../../policy';
import type { Statement } from '../../policy/types';
import type { Rule } from '../rule';

const PUT = KEY_ACTIONS.indexOf('kms:PutKeyPolicy');
const PUT_BIT = PUT >= 0 ? 1n << BigInt(PUT) : 0n;
const coversPut = (mask: bigint) => (mask & PUT_BIT) !== 0n;

export const rule: Rule = {
  id: 'lockout-risk',
  title: 'No principal of the account can change the key policy',
  severity: 'high',
  docs: {
    what: 'No principal of the owning account may call kms:PutKeyPolicy unconditionally and undenied.',
    why: 'If nobody in the account can change the policy, the key becomes unmanageable: only AWS Support can help, and data under it may be lost. Attackers use lockout policies for ransom.',
    fix: 'Keep an unconditional Allow of kms:PutKeyPolicy (the account-root kms:* statement, or a key administrator role) and no Deny that blocks it.',
    references: [
      'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key',
    ],
  },
  permissions: ['kms:GetKeyPolicy'],
  parameters: z.object({}),
  check({ policy, snapshot }) {
    if (!policy) return [];
    // AWS manages the policies of AWS managed keys; nobody in the account is meant to change them.
    if (snapshot.metadata.ok && snapshot.metadata.value.KeyManager === 'AWS') return [];
    const own = snapshot.account;
    // Statements that decide who may call kms:PutKeyPolicy, found once for every candidate.
    const granting: Statement[] = [];
    const denying: Statement[] = [];
    for (const s of policy.statements) {
      if (!coversPut(statementMask(s))) continue;
      if (s.effect === 'Allow' && s.conditions.length === 0) granting.push(s);
      else if (s.effect === 'Deny') denying.push(s);
    }
    let canManage = false;
    if (granting.length > 0) {
      const candidates = new Set<string>([`arn:aws:iam::${own}:root`]);
      for (const s of policy.statements)
        if (s.principal)
          for (const e of s.principal.aws) if (accountOf(e) === own) candidates.add(normalisePrincipal(e));
      for (const candidate of candidates) {
        const caller = parseCaller(candidate.endsWith(':root') ? `arn:aws:iam::${own}:role/AnyRole` : candidate);
        if (granting.some((s) => principalMatches(s, caller)) && !denying.some((s) => principalMatches(s, caller))) {
          canManage = true;
          break;
        }
      }
    }
    if (canManage) return [];
    return [
      {
        title: 'Nobody in the account can change this key policy',
        explanation: `No principal of account ${own} may call kms:PutKeyPolicy without conditions and without a Deny: if this policy is applied, the key cannot be managed any more (only AWS Support can restore access).`,
        pointer: '/Statement',
        principal: `arn:aws:iam::${own}:root`,
        actionClass: 'policy',
        example: { principal: `arn:aws:iam::${own}:root`, action: 'kms:PutKeyPolicy' },
        remediation: {
          summary: `Add the documented statement {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${own}:root"},"Action":"kms:*","Resource":"*"}, or an unconditional kms:PutKeyPolicy for a key administrator role, and remove any Deny of kms:PutKeyPolicy that covers them.`,
        },
      },
    ];
  },
};
