import { z } from 'zod';
import type { Rule } from '../rule';
import { describeExemption, exemptionOf, exemptionSchema } from './exemptions';

/**
 * Marks a key that keywarden.yaml exempts. The engine reads this rule's finding: the key is COMPLIANT with the
 * exemption as its reason, and every other finding on it is kept but suppressed.
 */
const parameters = z.strictObject({
  exemptions: z.array(exemptionSchema).default([]),
});

export const rule: Rule<typeof parameters> = {
  id: 'exempt-key',
  title: 'Key exempted by keywarden.yaml',
  severity: 'info',
  docs: {
    what: 'The key matches an entry of `exemptions` in keywarden.yaml (alias glob, tag or key id): it is reported COMPLIANT with that entry as the reason, and its other findings are shown as suppressed.',
    why: 'Some keys are deliberately outside your standard (a vendor-managed key, a legacy key with a migration plan). An exemption records that decision where reviewers can see it, instead of silencing rules for every key.',
    fix: 'Nothing to fix on the key. To judge it again, remove or narrow the exemption in keywarden.yaml.',
    references: [
      'https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
      'https://docs.aws.amazon.com/kms/latest/developerguide/tagging-keys.html',
    ],
  },
  permissions: ['kms:DescribeKey', 'kms:ListAliases', 'kms:ListResourceTags'],
  parameters,
  check({ snapshot }, { params }) {
    const match = exemptionOf(snapshot, params.exemptions);
    if (!match) return [];
    return [
      {
        title: `Key ${describeExemption(match)}`,
        explanation: `keywarden.yaml exempts this key: ${describeExemption(match)}. Its other findings are reported as suppressed and it counts as COMPLIANT.`,
        pointer: '',
        actionClass: 'exempt',
        remediation: {
          summary: `Nothing to fix on the key; remove or narrow ${match.entry} in keywarden.yaml to judge it again.`,
        },
      },
    ];
  },
};
