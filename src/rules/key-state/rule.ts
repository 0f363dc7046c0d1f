import { z } from 'zod';
import type { Rule } from '../rule';

export const rule: Rule = {
  id: 'key-state',
  title: 'Key disabled or pending deletion',
  severity: 'info',
  docs: {
    what: 'The key is disabled, or scheduled for deletion.',
    why: 'Data under a disabled key cannot be decrypted until it is enabled; data under a deleted key is lost for good. A key scheduled for deletion you did not plan may be an attack (ransom).',
    fix: 'If unexpected: aws kms cancel-key-deletion, then aws kms enable-key.',
    references: ['https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html'],
  },
  permissions: ['kms:DescribeKey'],
  parameters: z.object({}),
  check({ snapshot }) {
    if (!snapshot.metadata.ok) return [];
    const m = snapshot.metadata.value;
    if (m.KeyState === 'PendingDeletion' || m.KeyState === 'PendingReplicaDeletion') {
      return [
        {
          title: `Key scheduled for deletion${m.DeletionDate ? ` on ${m.DeletionDate}` : ''}`,
          explanation: `The key is ${m.KeyState}${m.DeletionDate ? ` and will be deleted on ${m.DeletionDate}` : ''}. Everything encrypted under it becomes unreadable then.`,
          pointer: '',
          actionClass: 'state',
          remediation: {
            summary: `If unexpected: aws kms cancel-key-deletion --key-id ${m.Arn} && aws kms enable-key --key-id ${m.Arn}`,
          },
        },
      ];
    }
    if (m.KeyState === 'Disabled' || m.Enabled === false) {
      return [
        {
          title: 'Key disabled',
          explanation: 'The key is disabled: no cryptographic operation with it succeeds until it is enabled.',
          pointer: '',
          actionClass: 'state',
          remediation: { summary: `If unexpected: aws kms enable-key --key-id ${m.Arn}` },
        },
      ];
    }
    return [];
  },
};
