import { describe, expect, it } from 'vitest';
import { fixture, keyNamed, read } from './helpers';

describe('Terraform plan JSON (terraform show -json)', async () => {
  const result = await read(fixture('plan-kms.json'), 'plan.json');

  it('is detected as a plan and read without errors', () => {
    expect(result.format).toBe('terraform-plan');
    expect(result.errors).toEqual([]);
    expect(result.keys.map((k) => k.logicalId)).toEqual(['aws_kms_key.main', 'module.shared.aws_kms_key.this[0]']);
  });

  it('attributes aws_kms_key_policy to its key through the configuration references', () => {
    const key = keyNamed(result, 'aws_kms_key.main');
    expect(key).toMatchObject({
      enableKeyRotation: true,
      enabled: true,
      keyUsage: 'ENCRYPT_DECRYPT',
      pendingWindowInDays: 14,
    });
    expect(key.aliases).toEqual(['alias/app-data']);
    expect((key.policy as { Statement: Array<{ Sid: string }> }).Statement.map((s) => s.Sid)).toEqual([
      'Root',
      'Backup',
    ]);
    expect(key.policyLocation).toMatchObject({
      pointer: '/planned_values/root_module/resources/5/values/policy',
      line: 103,
      column: 24,
    });
  });

  it('locates a statement inside the policy string of the plan', () => {
    const key = keyNamed(result, 'aws_kms_key.main');
    const line = fixture('plan-kms.json').split('\n')[102] as string;
    const located = key.locatePolicy('/Statement/1');
    expect(located?.line).toBe(103);
    expect(line.slice((located?.column ?? 0) - 1).startsWith('{\\"Action\\":[\\"kms:Decrypt\\"')).toBe(true);
  });

  it('reads keys of child modules', () => {
    const key = keyNamed(result, 'module.shared.aws_kms_key.this[0]');
    expect(key).toMatchObject({ enableKeyRotation: false, multiRegion: true, pendingWindowInDays: 7 });
    expect(key.policy).toEqual({
      Statement: [{ Action: 'kms:*', Effect: 'Allow', Principal: '*', Resource: '*', Sid: 'Open' }],
      Version: '2012-10-17',
    });
  });

  it('reads grants whose key and grantee are known only after apply through the configuration', () => {
    expect(result.grants).toEqual([
      expect.objectContaining({
        logicalId: 'aws_kms_grant.app',
        keyRef: 'aws_kms_key.main',
        granteePrincipal: 'arn:aws:iam::{{AWS::AccountId}}:role/app-role',
        operations: ['Decrypt', 'Encrypt', 'GenerateDataKey'],
        constraints: { encryptionContextEquals: { Department: 'Finance' } },
      }),
    ]);
  });

  it('builds a policy document read at apply from its statements, unknown values named by their reference', () => {
    const rolePolicy = result.policies.find((p) => p.logicalId === 'aws_iam_role_policy.decrypt');
    expect(rolePolicy).toMatchObject({
      kind: 'tf-role-policy',
      attachedTo: ['aws_iam_role.app'],
      principalArns: ['arn:aws:iam::{{AWS::AccountId}}:role/app-role'],
      document: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'Decrypt', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '{{aws_kms_key.main.arn}}' }],
      },
    });
    expect(result.policies.find((p) => p.logicalId === 'data.aws_iam_policy_document.decrypt')?.attachedTo).toEqual([
      'aws_iam_role_policy.decrypt',
    ]);
  });

  it('notes a key policy known only after apply', async () => {
    const plan = JSON.parse(fixture('plan-kms.json'));
    plan.resource_changes = plan.resource_changes.filter((c: { type: string }) => c.type !== 'aws_kms_key_policy');
    plan.planned_values.root_module.resources = plan.planned_values.root_module.resources.filter(
      (r: { type: string }) => r.type !== 'aws_kms_key_policy',
    );
    const changed = await read(JSON.stringify(plan, null, 2), 'plan.json');
    const key = keyNamed(changed, 'aws_kms_key.main');
    expect(key.policy).toBe('{{aws_kms_key.main.policy}}');
    expect(changed.notes.map((n) => n.message)).toContain('the policy of aws_kms_key.main is known only after apply');
  });

  it('reads a state (values.root_module) as well', async () => {
    const plan = JSON.parse(fixture('plan-kms.json'));
    const state = {
      format_version: '1.0',
      terraform_version: '1.9.5',
      values: { root_module: plan.planned_values.root_module },
    };
    const fromState = await read(JSON.stringify(state), 'state.json');
    expect(fromState.format).toBe('terraform-plan');
    expect(fromState.keys).toHaveLength(2);
  });

  it('reads a plan of several megabytes', async () => {
    const resources = Array.from({ length: 10_000 }, (_, i) => ({
      address: `aws_kms_key.k${i}`,
      mode: 'managed',
      type: 'aws_kms_key',
      name: `k${i}`,
      provider_name: 'registry.terraform.io/hashicorp/aws',
      schema_version: 0,
      values: {
        description: 'x'.repeat(200),
        enable_key_rotation: i % 2 === 0,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }],
        }),
      },
      sensitive_values: {},
    }));
    const text = JSON.stringify(
      { format_version: '1.2', terraform_version: '1.9.5', planned_values: { root_module: { resources } } },
      null,
      2,
    );
    expect(text.length).toBeGreaterThan(5 * 1024 * 1024);
    const big = await read(text, 'big-plan.json');
    expect(big.errors).toEqual([]);
    expect(big.keys).toHaveLength(10_000);
    expect(big.keys[9_999]?.enableKeyRotation).toBe(false);
  });

  it('rejects an unsupported major format version and invalid JSON with located errors', async () => {
    const future = await read('{"format_version": "2.0", "planned_values": {}}', 'plan.json');
    expect(future.errors).toEqual([
      expect.objectContaining({
        pointer: '/format_version',
        line: 1,
        message: expect.stringMatching(/unsupported plan format_version 2.0/),
      }),
    ]);
    const broken = await read('{"format_version": "1.2",\n "planned_values": {]}', 'plan.json');
    expect(broken.errors[0]).toMatchObject({ line: 2 });
  });
});
