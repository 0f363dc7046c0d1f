import { z } from 'zod';
import { accountOf } from '../../kms/access';
import { classesOf } from '../../kms/actions';
import type { Draft, Rule } from '../rule';

const SERVICE = /\.amazonaws\.com(\.cn)?$/;

export const rule: Rule = {
  id: 'grant-hygiene',
  title: 'Grant without constraints or with an outside retiring principal',
  severity: 'medium',
  docs: {
    what: "A grant allows cryptographic operations without encryption-context constraints, or names a retiring principal outside the key's account.",
    why: 'Unconstrained grants let the grantee use the key on any data; an outside retiring principal is a party you do not control deciding when access ends.',
    fix: 'Re-create the grant with EncryptionContextSubset/Equals constraints and a retiring principal of your account, then revoke the old one.',
    references: ['https://docs.aws.amazon.com/kms/latest/developerguide/grant-best-practices.html'],
  },
  permissions: ['kms:ListGrants'],
  parameters: z.object({}),
  check({ snapshot, grants }) {
    const drafts: Draft[] = [];
    for (const g of grants ?? []) {
      const crypto = g.Operations.filter((o) => classesOf(`kms:${o}`).includes('use'));
      const grantee = g.GranteePrincipal ?? '';
      if (
        crypto.length > 0 &&
        !g.Constraints?.EncryptionContextSubset &&
        !g.Constraints?.EncryptionContextEquals &&
        !SERVICE.test(grantee)
      ) {
        drafts.push({
          title: `Grant ${g.Name ?? g.GrantId.slice(0, 12)} has no encryption-context constraint`,
          explanation: `Grant ${g.GrantId} lets ${grantee} call ${crypto.join(', ')} on any data under this key: it has no encryption-context constraint.`,
          pointer: `grant:${g.GrantId}`,
          principal: grantee,
          actionClass: 'grant-constraints',
          remediation: {
            summary:
              'Re-create the grant with an EncryptionContextSubset constraint for the data it is meant for, then revoke this one.',
          },
        });
      }
      const retiring = g.RetiringPrincipal;
      const retiringAccount = retiring ? accountOf(retiring) : undefined;
      if (retiring && retiringAccount && retiringAccount !== snapshot.account) {
        drafts.push({
          title: `Grant retirable by outside account ${retiringAccount}`,
          explanation: `Grant ${g.GrantId} names ${retiring}, outside account ${snapshot.account}, as its retiring principal.`,
          pointer: `grant:${g.GrantId}`,
          principal: retiring,
          actionClass: 'grant-retiring',
          remediation: {
            summary: 'Re-create the grant with a retiring principal of your own account, then revoke this one.',
          },
        });
      }
    }
    return drafts;
  },
};
