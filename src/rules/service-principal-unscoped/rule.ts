import { z } from 'zod';
import { addCondition } from '../policy-edit';
import type { Draft, Rule } from '../rule';
import { statementName } from '../words';

/** Condition keys that tie a service's request to your resources (confused-deputy protection). */
const SCOPING = new Set([
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'kms:encryptioncontext:aws:logs:arn',
  'kms:encryptioncontext:aws:cloudtrail:arn',
  'kms:viaservice',
  'kms:calleraccount',
]);

export const rule: Rule = {
  id: 'service-principal-unscoped',
  title: 'Service principal without a confused-deputy condition',
  severity: 'medium',
  docs: {
    what: 'A statement allows an AWS service principal without aws:SourceAccount or aws:SourceArn (or a service-specific scoping key such as kms:EncryptionContext:aws:logs:arn).',
    why: "Without them the service can be made to use your key on behalf of another customer's resources: the confused-deputy problem AWS documents.",
    fix: 'Add "StringEquals": {"aws:SourceAccount": "<your account>"} (or aws:SourceArn of the resource) to the statement.',
    references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html'],
  },
  permissions: ['kms:GetKeyPolicy'],
  parameters: z.object({}),
  check({ policy, snapshot }) {
    const drafts: Draft[] = [];
    if (!policy) return drafts;
    for (const s of policy.statements) {
      if (s.effect !== 'Allow' || !s.principal || s.principal.service.length === 0) continue;
      if (s.conditions.some((c) => SCOPING.has(c.key.toLowerCase()))) continue;
      for (const service of s.principal.service) {
        drafts.push({
          title: `${service} can use the key for any customer`,
          explanation: `${statementName(s.sid, s.pointer)} allows ${service} without aws:SourceAccount or aws:SourceArn: the service could be asked to use this key for resources that are not yours.`,
          pointer: s.pointer,
          sid: s.sid,
          principal: service,
          actionClass: 'service',
          remediation: {
            summary: `Add "StringEquals": {"aws:SourceAccount": "${snapshot.account}"} (or aws:SourceArn of your resource) to the statement.`,
            fixedPolicy: addCondition(
              policy.document,
              s.pointer,
              'StringEquals',
              'aws:SourceAccount',
              snapshot.account,
            ),
          },
        });
      }
    }
    return drafts;
  },
};
