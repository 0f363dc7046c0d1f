import { z } from 'zod';
import { accountOf } from '../../kms/access';
import { isNotCarried } from '../../kms/known';
import type { Draft, Rule } from '../rule';

export const rule: Rule = {
  id: 'external-grant',
  title: 'Key reachable through a grant to another account',
  severity: 'high',
  docs: {
    what: 'A grant on the key gives a principal of another account operations on the key. Grants do not appear in the key policy, so policy reviews miss them.',
    why: 'Grants are a second, quieter door: the grantee can use the key until the grant is retired or revoked, whatever the key policy says (a key policy Deny still wins).',
    fix: 'Revoke the grant (aws kms revoke-grant) if it is not intended; give cross-account access in the key policy where it can be reviewed.',
    references: ['https://docs.aws.amazon.com/kms/latest/developerguide/grants.html'],
  },
  permissions: ['kms:ListGrants'],
  parameters: z.object({}),
  check({ snapshot, grants }, { trusted }) {
    const drafts: Draft[] = [];
    if (!snapshot.grants.ok) {
      if (isNotCarried(snapshot.grants)) return drafts;
      return [
        {
          status: 'unknown',
          title: 'Grants could not be listed',
          explanation: `keywarden could not list the key's grants (${snapshot.grants.reason}), so access through grants is unknown.`,
          pointer: '',
          remediation: {
            summary: 'Allow kms:ListGrants to the role keywarden runs as (key policy or IAM policy), then scan again.',
          },
        },
      ];
    }
    for (const g of grants ?? []) {
      const grantee = g.GranteePrincipal ?? '';
      const account = accountOf(grantee);
      if (!account || account === snapshot.account) continue;
      const trustedNote = trusted.accounts.includes(account)
        ? ' (a trusted account: review that the grant is still needed)'
        : '';
      drafts.push({
        title: `Grant gives account ${account} ${g.Operations.join(', ')}`,
        explanation: `Grant ${g.GrantId}${g.Name ? ` ("${g.Name}")` : ''} lets ${grantee}${trustedNote} call ${g.Operations.join(', ')} on this key${
          g.Constraints ? ' within its encryption-context constraints' : ' with no constraint'
        }. Grants are not visible in the key policy.`,
        pointer: `grant:${g.GrantId}`,
        principal: grantee,
        actionClass: 'grant',
        example: {
          principal: grantee,
          action: `kms:${g.Operations[0] ?? 'Decrypt'}`,
          context: Object.fromEntries(
            Object.entries(g.Constraints?.EncryptionContextEquals ?? g.Constraints?.EncryptionContextSubset ?? {}).map(
              ([k, v]) => [`kms:EncryptionContext:${k}`, v],
            ),
          ),
        },
        remediation: {
          summary: `If not intended: aws kms revoke-grant --key-id ${snapshot.arn} --grant-id ${g.GrantId}`,
        },
      });
    }
    return drafts;
  },
};
