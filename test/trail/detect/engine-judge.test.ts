import { describe, expect, it } from 'vitest';
import { engineJudge } from '../../../src/trail/detect/engine-judge';
import { parseCloudTrailEvent } from '../../../src/trail/detect/event';
import { exposuresInvestigation } from '../../../src/trail/detect/exposures';
import { hasCorpus, pantherTest } from '../corpus';
import { fromTemplate } from '../helpers';

const judgeEvent = (record: Record<string, unknown>) => {
  const parsed = parseCloudTrailEvent(record);
  if (!parsed.ok) throw new Error(parsed.reason);
  const investigation = exposuresInvestigation(engineJudge);
  investigation.add(parsed.event);
  return investigation.finish().changes[0];
};

describe('the engine-backed judge', () => {
  it('the AWS example PutKeyPolicy (the default key policy) is internal', () => {
    expect(judgeEvent(fromTemplate('put-key-policy'))?.reach).toBe('internal');
  });

  it('a policy that does not parse is unknown with the parser reason', () => {
    const judgement = engineJudge('{"Version": "2012-10-17", "Statement": [', '111122223333');
    expect(judgement.reach).toBe('unknown');
    expect(judgement.error).toEqual(expect.any(String));
  });

  it('a statement for another account is cross-account', () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'kms:Decrypt', Resource: '*' },
      ],
    });
    expect(engineJudge(policy, '111122223333').reach).toBe('cross-account');
  });

  it.skipIf(!hasCorpus)(
    'agrees with Panther labels: wildcard without conditions is public, org-restricted is not',
    () => {
      const open = pantherTest('aws_resource_made_public.yml', 'Wildcard Principal No Conditions (Should Alert)').log;
      const restricted = pantherTest(
        'aws_resource_made_public.yml',
        'KMS Key Restricted Access (Should Not Alert)',
      ).log;
      expect(judgeEvent(open)?.reach).toBe('public');
      expect(judgeEvent(restricted)?.reach).not.toBe('public');
    },
  );
});
