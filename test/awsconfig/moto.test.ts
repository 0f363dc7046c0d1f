/**
 * The change-triggered path through the real SDK against moto (KMS, and Config's PutEvaluations, which moto
 * implements in TestMode only: the TESTMODE result token). Skipped with a message when moto is not importable.
 */
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConfigRule } from '../../src/app/config-rule';
import { configRuleDeps } from '../../src/lambda/config-rule.handler';
import { MOTO_SKIP_MESSAGE, type MotoServer, motoAvailable, startMoto } from '../aws/moto-server';
import { event, scenario, TEST_ENV, withEnv } from './harness';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012'; // moto's default account

/** DescribeKey's metadata as AWS Config records it: camelCase (awslabs/aws-config-resource-schema). */
const camel = (metadata: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(metadata).map(([k, v]) => [
      k === 'AWSAccountId' ? 'awsaccountId' : `${k.charAt(0).toLowerCase()}${k.slice(1)}`,
      v instanceof Date ? v.toISOString() : v,
    ]),
  );

describe.skipIf(!motoAvailable)(
  `the Config rule against moto${motoAvailable ? '' : ` (skipped: ${MOTO_SKIP_MESSAGE})`}`,
  () => {
    let moto: MotoServer;
    let restoreEnv: () => void;
    beforeAll(async () => {
      moto = await startMoto();
      restoreEnv = withEnv({ ...TEST_ENV, AWS_REGION: REGION, AWS_ENDPOINT_URL: moto.endpoint });
    });
    afterAll(async () => {
      restoreEnv?.();
      await moto?.stop();
    });

    it('reads the policy and aliases live and sends the evaluation in TestMode', async () => {
      const kms = new KMSClient({ region: REGION });
      const policy = JSON.parse(scenario('3-kms-star.json').GetKeyPolicy.Policy.replaceAll('111122223333', ACCOUNT));
      const created = await kms.send(
        new CreateKeyCommand({ Policy: JSON.stringify(policy), Description: 'kms:* to a role' }),
      );
      const keyId = created.KeyMetadata!.KeyId!;
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/devops', TargetKeyId: keyId }));
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
      kms.destroy();

      const e = event('change-notification', { resultToken: 'TESTMODE' });
      const invoking = JSON.parse(e.invokingEvent);
      Object.assign(invoking.configurationItem, {
        configuration: camel(KeyMetadata as unknown as Record<string, unknown>),
        awsAccountId: ACCOUNT,
        awsRegion: REGION,
        resourceId: keyId,
        ARN: KeyMetadata!.Arn,
      });
      e.invokingEvent = JSON.stringify(invoking);

      const result = await runConfigRule(e, { ...configRuleDeps({ AWS_REGION: REGION }), log: () => {} });
      expect(result.evaluations).toEqual([
        expect.objectContaining({
          ComplianceResourceId: keyId,
          ComplianceType: 'NON_COMPLIANT',
          Annotation: expect.stringMatching(
            /^\[high\] wildcard-permissions: Wildcard KMS permissions for arn:aws:iam::123456789012:role\/DevOps/,
          ),
        }),
      ]);

      // With an exemption for its alias (read live from moto), the same key is COMPLIANT.
      const exempt = await runConfigRule(
        { ...e, ruleParameters: JSON.stringify({ ExemptAliases: 'DevOps' }) },
        { ...configRuleDeps({ AWS_REGION: REGION }), log: () => {} },
      );
      expect(exempt.evaluations[0]).toMatchObject({
        ComplianceType: 'COMPLIANT',
        Annotation: expect.stringMatching(/^exempted by exemptions\[0\] \(alias "DevOps" matches alias\/devops\)/),
      });
    });
  },
);
