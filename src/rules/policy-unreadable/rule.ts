import { z } from 'zod';
import { isNotCarried } from '../../kms/known';
import type { Rule } from '../rule';

export const rule: Rule = {
  id: 'policy-unreadable',
  title: 'Key policy could not be read',
  severity: 'high',
  docs: {
    what: "keywarden could not read the key policy (access denied, key unavailable, or a policy that does not parse), so the key's access is unknown.",
    why: 'An unreadable policy is not a compliant one: the key may be public and nobody would know. Tools that skip such keys report a clean estate they never checked.',
    fix: 'Give the scanning role kms:GetKeyPolicy in the key policy (an IAM policy is not enough when the key policy does not delegate to the account), then scan again.',
    references: ['https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html'],
  },
  permissions: ['kms:GetKeyPolicy'],
  parameters: z.object({}),
  check({ snapshot }) {
    if (snapshot.policy.ok || isNotCarried(snapshot.policy)) return [];
    return [
      {
        status: 'unknown',
        title: 'Key policy could not be read',
        explanation: `keywarden could not read this key's policy (${snapshot.policy.reason}); who can use it is unknown.`,
        pointer: '',
        actionClass: 'policy',
        remediation: {
          summary:
            'Allow kms:GetKeyPolicy to the role keywarden runs as, in the key policy (e.g. a statement for that role with kms:GetKeyPolicy, kms:DescribeKey, kms:ListGrants), then scan again.',
        },
      },
    ];
  },
};
