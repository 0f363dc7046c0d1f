/**
 * The Config rule end to end in-process: the handler's own wiring (configRuleDeps) against mocked AWS clients
 * (aws-sdk-client-mock), the events of the AWS Config Developer Guide, and the use case of src/app/config-rule.ts.
 */

import {
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
} from '@aws-sdk/client-config-service';
import { GetKeyPolicyCommand, GetKeyRotationStatusCommand } from '@aws-sdk/client-kms';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConfigRuleDeps, runConfigRule } from '../../src/app/config-rule';
import { configRuleDeps } from '../../src/lambda/config-rule.handler';
import { ACCOUNT, event, KEY, mockAws, REGION, scenario, TEST_ENV, withEnv } from './harness';

const NOW = new Date('2026-11-20T10:00:00Z');
let aws: ReturnType<typeof mockAws>;
let restoreEnv: () => void;
beforeEach(() => {
  restoreEnv = withEnv(TEST_ENV);
});
afterEach(() => {
  aws?.restore();
  restoreEnv();
});

const deps = (env: Record<string, string> = {}): ConfigRuleDeps => ({
  ...configRuleDeps({ AWS_REGION: REGION, ...env }),
  now: () => NOW,
  log: () => {},
});

/** A scenario key answered under another key id (for many-key estates). */
const renamed = (file: string, id: string) => {
  const snap = scenario(file);
  const oldId = snap.DescribeKey.KeyMetadata.KeyId as string;
  return JSON.parse(JSON.stringify(snap).replaceAll(oldId, id));
};

describe('ConfigurationItemChangeNotification', () => {
  it('reads the policy, grants and aliases live and puts one NON_COMPLIANT evaluation at the capture time', async () => {
    aws = mockAws();
    const result = await runConfigRule(event('change-notification'), deps());
    expect(aws.putCalls()).toEqual([
      {
        ResultToken: 'eyJyZXN1bHRUb2tlbiI6ImV4YW1wbGUifQ==',
        Evaluations: [
          {
            ComplianceResourceType: 'AWS::KMS::Key',
            ComplianceResourceId: KEY,
            ComplianceType: 'NON_COMPLIANT',
            Annotation:
              '[high] wildcard-permissions: Wildcard KMS permissions for arn:aws:iam::111122223333:role/DevOps (+1 more: separation-of-duties)',
            OrderingTimestamp: new Date('2026-11-20T09:12:45.123Z'),
          },
        ],
      },
    ]);
    expect(result.messageType).toBe('ConfigurationItemChangeNotification');
    // The item carried metadata, tags and rotation: only what it lacks was read.
    expect([...aws.actions()].filter((a) => a.startsWith('kms:')).sort()).toEqual([
      'kms:GetKeyPolicy',
      'kms:ListAliases',
      'kms:ListGrants',
    ]);
    expect(aws.kms.commandCalls(GetKeyPolicyCommand)[0]?.args[0].input).toEqual({ KeyId: KEY, PolicyName: 'default' });
  });

  it('an unreadable policy is NON_COMPLIANT with an annotation saying to grant kms:GetKeyPolicy', async () => {
    aws = mockAws({ policyDenied: new Set([KEY]) });
    await runConfigRule(event('change-notification'), deps());
    const [evaluation] = aws.putCalls()[0]!.Evaluations!;
    expect(evaluation).toMatchObject({
      ComplianceType: 'NON_COMPLIANT',
      Annotation:
        "Key policy could not be read (AccessDeniedException): grant this rule's Lambda role kms:GetKeyPolicy in the key policy, then re-evaluate.",
    });
  });

  it('a deleted key is NOT_APPLICABLE, without reading KMS', async () => {
    aws = mockAws();
    await runConfigRule(event('change-notification-deleted'), deps());
    expect(aws.putCalls()[0]!.Evaluations).toEqual([
      {
        ComplianceResourceType: 'AWS::KMS::Key',
        ComplianceResourceId: KEY,
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: 'the key is gone (ResourceDeleted)',
        OrderingTimestamp: new Date('2026-11-21T08:00:00.000Z'),
      },
    ]);
    expect(aws.kms.calls()).toHaveLength(0);
  });

  it('a key that left the rule scope is NOT_APPLICABLE', async () => {
    aws = mockAws();
    const e = { ...event('change-notification'), eventLeftScope: true };
    await runConfigRule(e, deps());
    expect(aws.putCalls()[0]!.Evaluations![0]).toMatchObject({ ComplianceType: 'NOT_APPLICABLE' });
  });

  it('the TESTMODE result token sends PutEvaluations in TestMode', async () => {
    aws = mockAws();
    await runConfigRule(event('change-notification', { resultToken: 'TESTMODE' }), deps());
    expect(aws.putCalls()[0]).toMatchObject({ ResultToken: 'TESTMODE', TestMode: true });
  });
});

describe('OversizedConfigurationItemChangeNotification', () => {
  it('fetches the item with GetResourceConfigHistory and orders by the summary capture time', async () => {
    aws = mockAws();
    await runConfigRule(event('oversized-notification'), deps());
    expect(aws.config.commandCalls(GetResourceConfigHistoryCommand)[0]?.args[0].input).toEqual({
      resourceType: 'AWS::KMS::Key',
      resourceId: KEY,
      limit: 1,
    });
    expect(aws.putCalls()[0]!.Evaluations![0]).toMatchObject({
      ComplianceResourceId: KEY,
      ComplianceType: 'NON_COMPLIANT',
      OrderingTimestamp: new Date('2026-11-20T10:01:16.261Z'),
    });
  });
});

describe('rule parameters (InputParameters) map onto keywarden.yaml', () => {
  it('ExemptAliases makes an Otter key COMPLIANT with the reason', async () => {
    aws = mockAws({ keys: new Map([[KEY, renamed('2-allowlisted.json', KEY)]]) });
    await runConfigRule(event('change-notification', { parameters: { ExemptAliases: 'Otter-*' } }), deps());
    expect(aws.putCalls()[0]!.Evaluations![0]).toMatchObject({
      ComplianceType: 'COMPLIANT',
      Annotation:
        'exempted by exemptions[0] (alias "Otter-*" matches alias/Otter-Payments): ExemptAliases rule parameter',
    });
  });

  it('inline Config', async () => {
    aws = mockAws();
    const config = 'rules:\n  wildcard-permissions: {enabled: false}\n  separation-of-duties: {enabled: false}\n';
    await runConfigRule(event('change-notification', { parameters: { Config: config } }), deps());
    expect(aws.putCalls()[0]!.Evaluations![0]).toMatchObject({ ComplianceType: 'COMPLIANT' });
  });

  it('ConfigLocation in S3, joined with Administrators', async () => {
    aws = mockAws();
    aws.s3Text('exemptions:\n  - alias: devops\n    reason: the DevOps sandbox key\n');
    await runConfigRule(
      event('change-notification', {
        parameters: { ConfigLocation: 's3://org-security/keywarden.yaml', Administrators: 'AROAOTTER*' },
      }),
      deps(),
    );
    expect(aws.s3.calls()[0]?.args[0].input).toEqual({ Bucket: 'org-security', Key: 'keywarden.yaml' });
    expect(aws.putCalls()[0]!.Evaluations![0]).toMatchObject({
      ComplianceType: 'COMPLIANT',
      Annotation: expect.stringMatching(/^exempted by exemptions\[0\]/),
    });
  });

  it("the stack's ConfigLocation in SSM when the parameters name none", async () => {
    aws = mockAws();
    aws.ssmText('trusted:\n  accounts: ["444455556666"]\nrules:\n  wildcard-permissions:\n    severity: critical\n');
    await runConfigRule(event('change-notification'), deps({ CONFIG_LOCATION: 'ssm:/keywarden/config' }));
    expect(aws.ssm.calls()[0]?.args[0].input).toEqual({ Name: '/keywarden/config', WithDecryption: true });
    expect(aws.putCalls()[0]!.Evaluations![0]!.Annotation).toMatch(/^\[critical\] wildcard-permissions/);
  });

  it.each([
    [{ Colour: 'blue' }, /unknown parameter Colour: this rule takes ConfigLocation, Config, /],
    [{ TrustedAccounts: '12345' }, /parameter TrustedAccounts: not a 12-digit AWS account id: "12345"/],
    [{ DisabledKeys: 'sometimes' }, /parameter DisabledKeys: expected one of "report", "fail", "not-applicable"/],
    [
      { ConfigLocation: 'https://example.com/k.yaml' },
      /ConfigLocation must be s3:\/\/bucket\/key or ssm:\/parameter\/name/,
    ],
    [
      { Config: 'rules:\n  nope: {}\n' },
      /invalid keywarden.yaml: rule parameter Config:2:3: rules.nope: unknown rule "nope"/,
    ],
    [{ Administrators: 5 }, /Administrators must be a string/],
  ])('invalid %j fails loudly and sends no evaluation', async (parameters, message) => {
    aws = mockAws();
    await expect(runConfigRule(event('change-notification', { parameters }), deps())).rejects.toThrow(message);
    expect(aws.putCalls()).toEqual([]);
    expect(aws.kms.calls()).toHaveLength(0);
  });

  it('an unreadable or invalid keywarden.yaml at the location fails loudly, naming the line', async () => {
    aws = mockAws();
    aws.s3Text('suppressions:\n  - rule: key-state\n    reason: r\n');
    await expect(
      runConfigRule(
        event('change-notification', { parameters: { ConfigLocation: 's3://org-security/keywarden.yaml' } }),
        deps(),
      ),
    ).rejects.toThrow(
      /invalid keywarden.yaml: s3:\/\/org-security\/keywarden.yaml:2:5: suppressions\[0\].owner: missing/,
    );
    expect(aws.putCalls()).toEqual([]);
    aws.restore();
    aws = mockAws();
    await expect(
      runConfigRule(event('change-notification'), deps({ CONFIG_LOCATION: 's3://org-security/missing.yaml' })),
    ).rejects.toThrow(/cannot read keywarden.yaml from s3:\/\/org-security\/missing.yaml .*s3:GetObject/);
    expect(aws.putCalls()).toEqual([]);
  });
});

describe('ScheduledNotification (periodic)', () => {
  const estate = (count: number) => {
    const files = ['3-kms-star.json', '5-separation.json', '4-no-separation.json', '1-disabled.json'];
    const keys = new Map<string, ReturnType<typeof scenario>>();
    keys.set(KEY, scenario('3-kms-star.json'));
    for (let i = 1; i < count; i++) {
      const id = `7e570000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      keys.set(id, renamed(files[i % files.length]!, id));
    }
    return keys;
  };

  it('evaluates every key of the region in batches of at most 100, and marks vanished keys NOT_APPLICABLE', async () => {
    aws = mockAws({ keys: estate(205) });
    const result = await runConfigRule(event('scheduled-notification'), deps());
    const calls = aws.putCalls();
    expect(calls.map((c) => c.Evaluations!.length)).toEqual([100, 100, 7]);
    const all = calls.flatMap((c) => c.Evaluations!);
    expect(all).toHaveLength(207);
    for (const e of all) expect(e.OrderingTimestamp).toEqual(new Date('2026-11-20T00:00:00.373Z'));
    expect(all.find((e) => e.ComplianceResourceId === KEY)).toMatchObject({ ComplianceType: 'NON_COMPLIANT' });
    // Evaluated before (both pages of the rule's results), no longer listed: NOT_APPLICABLE.
    const gone = all.filter((e) => e.ComplianceType === 'NOT_APPLICABLE');
    expect(gone.map((e) => [e.ComplianceResourceId, e.Annotation])).toEqual([
      ['5ce7a610-0000-4000-8000-000000000004', 'the key no longer exists in this region'],
      ['a1b2c3d4-0000-4000-8000-00000000dead', 'the key no longer exists in this region'],
    ]);
    expect(aws.config.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(2);
    expect(result.gaps).toEqual([]);
    expect([...new Set(all.map((e) => e.ComplianceType))].sort()).toEqual([
      'COMPLIANT',
      'NON_COMPLIANT',
      'NOT_APPLICABLE',
    ]);
    // Rotation is asked only of symmetric keys with KMS key material: here, all of them.
    expect(aws.kms.commandCalls(GetKeyRotationStatusCommand)).toHaveLength(205);
  });

  it('a region it cannot list marks nothing NOT_APPLICABLE and fails loudly', async () => {
    aws = mockAws({ keys: estate(3), listKeysDenied: true });
    await expect(runConfigRule(event('scheduled-notification'), deps())).rejects.toThrow(
      /could not read everything .*kms:ListKeys/,
    );
    expect(aws.putCalls()).toEqual([]);
    expect(aws.config.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
  });

  it('an unreadable key policy in the region is NON_COMPLIANT, the scan goes on', async () => {
    const keys = estate(5);
    aws = mockAws({ keys, policyDenied: new Set([KEY]) });
    await runConfigRule(event('scheduled-notification'), deps());
    const all = aws.putCalls().flatMap((c) => c.Evaluations!);
    expect(all.find((e) => e.ComplianceResourceId === KEY)?.Annotation).toMatch(/kms:GetKeyPolicy/);
    expect(all.filter((e) => e.ComplianceType !== 'NOT_APPLICABLE')).toHaveLength(5);
  });

  it('runs as the account of the event', () => {
    expect(ACCOUNT).toBe(event('scheduled-notification').accountId);
  });
});
