// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolation syntax in fixtures
import { describe, expect, it } from 'vitest';
import { fixture, keyNamed, read } from './helpers';

describe('Terraform .tf sources', async () => {
  const result = await read(fixture('tf/kms.tf'), 'kms.tf');
  const policy = (logicalId: string, name?: string) =>
    result.policies.find((p) => p.logicalId === logicalId && (name === undefined || p.name === name));

  it('reads aws_kms_key with a policy from an aws_iam_policy_document, its alias and its suppression', () => {
    expect(result.format).toBe('terraform-hcl');
    expect(result.errors).toEqual([]);
    const key = keyNamed(result, 'aws_kms_key.main');
    expect(key).toMatchObject({
      resourceType: 'aws_kms_key',
      enableKeyRotation: true,
      pendingWindowInDays: 14,
      aliases: ['alias/app-data'],
      suppressions: [{ rule: 'kms-cross-account-access', reason: 'the trusted account is our backup account' }],
    });
    expect(key.policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Root',
          Effect: 'Allow',
          Action: 'kms:*',
          Resource: '*',
          Principal: { AWS: 'arn:aws:iam::{{AWS::AccountId}}:root' },
        },
        {
          Sid: 'App',
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: '*',
          Principal: {
            AWS: ['arn:aws:iam::{{AWS::AccountId}}:role/app-role', 'arn:aws:iam::{{var.trusted_account}}:root'],
          },
          Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
        },
      ],
    });
  });

  it('locates policy document statements, principals and conditions on their blocks', () => {
    const key = keyNamed(result, 'aws_kms_key.main');
    expect(key.locatePolicy('/Statement/1')).toMatchObject({
      pointer: '/data/aws_iam_policy_document/key/statement/1',
      line: 65,
      column: 3,
    });
    expect(key.locatePolicy('/Statement/1/Principal/AWS/1')).toMatchObject({ line: 70, column: 5 });
    expect(key.locatePolicy('/Statement/1/Condition')).toMatchObject({ line: 75, column: 5 });
    expect(key.locatePolicy('/Statement/0/Action')).toMatchObject({ line: 56, column: 5 });
  });

  it('notes a variable without a value, and resolves it when given', async () => {
    expect(result.notes).toContainEqual({
      file: 'kms.tf',
      pointer: '/data/aws_iam_policy_document/key/statement/1/principals/0/identifiers/1',
      line: 72,
      column: 7,
      message: 'var.trusted_account has no default: pass --parameter trusted_account=VALUE to resolve it',
    });
    const given = await read(fixture('tf/kms.tf'), 'kms.tf', {
      parameters: { trusted_account: '444455556666', app_role_name: 'other' },
      accountId: '111122223333',
    });
    const statement = (keyNamed(given, 'aws_kms_key.main').policy as { Statement: Array<{ Principal: unknown }> })
      .Statement[1];
    expect(statement?.Principal).toEqual({
      AWS: ['arn:aws:iam::111122223333:role/other', 'arn:aws:iam::444455556666:root'],
    });
  });

  it('attributes an aws_kms_key_policy heredoc to its key, with lines inside the heredoc', () => {
    const key = keyNamed(result, 'aws_kms_key.logs');
    expect(key).toMatchObject({ enabled: false, keySpec: 'SYMMETRIC_DEFAULT', peerSuppressions: ['CKV_AWS_7'] });
    expect(key.policyLocation).toMatchObject({
      pointer: '/resource/aws_kms_key_policy/logs/policy',
      line: 110,
      column: 5,
    });
    expect(key.locatePolicy('/Statement/0/Principal')).toMatchObject({ line: 116, column: 11 });
    const condition = (key.policy as { Statement: Array<{ Condition: unknown }> }).Statement[0]?.Condition;
    expect(condition).toEqual({
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:{{AWS::AccountId}}:*' },
    });
  });

  it('reads aws_kms_grant with its key, grantee and constraints', () => {
    expect(result.grants).toEqual([
      {
        file: 'kms.tf',
        logicalId: 'aws_kms_grant.app',
        keyRef: 'aws_kms_key.main',
        granteePrincipal: 'arn:aws:iam::{{AWS::AccountId}}:role/app-role',
        operations: ['Encrypt', 'Decrypt', 'GenerateDataKey'],
        constraints: { encryptionContextEquals: { Department: 'Finance' } },
        location: { file: 'kms.tf', pointer: '/resource/aws_kms_grant/app', line: 88, column: 1 },
      },
    ]);
  });

  it('reads IAM policies that concern KMS with what they are attached to', () => {
    expect(policy('aws_iam_role.app', 'decrypt')).toMatchObject({
      kind: 'tf-role-policy',
      attachedTo: ['aws_iam_role.app'],
      principalArns: ['arn:aws:iam::{{AWS::AccountId}}:role/app-role'],
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: '{{aws_kms_key.main.arn}}' }],
      },
    });
    expect(policy('aws_iam_policy.key_users')).toMatchObject({
      kind: 'tf-policy',
      attachedTo: ['aws_iam_role.app'],
      principalArns: ['arn:aws:iam::{{AWS::AccountId}}:role/app-role'],
    });
    expect(policy('aws_iam_role_policy.audit')).toMatchObject({
      kind: 'tf-role-policy',
      attachedTo: ['aws_iam_role.app'],
    });
    expect(policy('data.aws_iam_policy_document.key')).toMatchObject({
      kind: 'tf-policy-document',
      attachedTo: ['aws_kms_key.main'],
    });
    expect(policy('aws_iam_policy.s3_only')).toBeUndefined();
  });

  it('locates statements inside jsonencode(...)', () => {
    expect(policy('aws_iam_policy.key_users')?.locate('/Statement/0/Action')).toMatchObject({ line: 136, column: 7 });
    expect(policy('aws_iam_role.app', 'decrypt')?.locate('/Statement/0/Resource')).toMatchObject({
      line: 38,
      column: 11,
    });
  });
});

describe('Terraform bad input', () => {
  it('invalid HCL is a located error', async () => {
    const result = await read('resource "aws_kms_key" "k" {\n  policy = \n}\n', 'bad.tf');
    expect(result.keys).toEqual([]);
    expect(result.errors).toEqual([
      expect.objectContaining({
        file: 'bad.tf',
        line: 2,
        column: 12,
        message: expect.stringMatching(/^invalid HCL: /),
      }),
    ]);
  });

  it('a policy that is not JSON is a located error; the key is still read', async () => {
    const text = 'resource "aws_kms_key" "k" {\n  policy = <<EOT\n{"Statement": [\nEOT\n}\n';
    const result = await read(text, 'k.tf');
    expect(result.keys.map((k) => k.logicalId)).toEqual(['aws_kms_key.k']);
    expect(result.errors[0]?.message).toMatch(/^the policy is not valid JSON/);
    expect(result.errors[0]?.line).toBe(4);
  });

  it('a duplicate resource is a located error', async () => {
    const text = 'resource "aws_kms_key" "k" {\n}\n\nresource "aws_kms_key" "k" {\n  is_enabled = false\n}\n';
    const result = await read(text, 'dup.tf');
    expect(result.keys).toHaveLength(1);
    expect(result.errors).toEqual([
      expect.objectContaining({
        line: 4,
        message: 'aws_kms_key.k is declared more than once: Terraform rejects duplicate names; rename one',
      }),
    ]);
  });

  it('circular locals stay symbolic with a note, not a hang', async () => {
    const text =
      'locals {\n  a = local.b\n  b = local.a\n}\nresource "aws_kms_key" "k" {\n  description = local.a\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = local.a, Action = "kms:*", Resource = "*" }] })\n}\n';
    const result = await read(text, 'loop.tf');
    expect(result.keys).toHaveLength(1);
    expect(result.notes.some((n) => n.message.startsWith('circular reference through local.'))).toBe(true);
  });

  it('a file with 500 keys is read, each located', async () => {
    let text = '';
    for (let i = 0; i < 500; i++) {
      text += `resource "aws_kms_key" "k${i}" {\n  enable_key_rotation = true\n  policy = jsonencode({\n    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "kms:*", Resource = "*" }]\n  })\n}\n\n`;
    }
    const result = await read(text, 'many.tf');
    expect(result.errors).toEqual([]);
    expect(result.keys).toHaveLength(500);
    expect(result.keys[499]?.locatePolicy('/Statement/0/Principal')).toMatchObject({
      pointer: '/resource/aws_kms_key/k499/policy/Statement/0/Principal',
      line: 499 * 7 + 4,
    });
  });

  it('a keywarden suppression without a reason is an error', async () => {
    const result = await read('# keywarden:suppress kms-public-key\nresource "aws_kms_key" "k" {}\n', 's.tf');
    expect(result.errors[0]?.message).toBe(
      'the suppression of kms-public-key needs a reason: # keywarden:suppress kms-public-key <why this is safe>',
    );
  });

  it('references the reader cannot follow stay symbolic', async () => {
    const text = `resource "aws_kms_key" "k" {
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = [for a in var.accounts : "arn:aws:iam::\${a}:root"] }
      Action    = "kms:*"
      Resource  = module.shared.arn
    }]
  })
  enable_key_rotation = var.rotate ? true : false
}
`;
    const result = await read(text, 'sym.tf');
    const key = keyNamed(result, 'aws_kms_key.k');
    expect(key.enableKeyRotation).toBe('symbolic');
    expect(key.policy).toEqual({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: '{{[for a in var.accounts : "arn:aws:iam::${a}:root"]}}' },
          Action: 'kms:*',
          Resource: '{{module.shared.arn}}',
        },
      ],
    });
  });
});
