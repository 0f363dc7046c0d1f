import { describe, expect, it } from 'vitest';
import { fixture, keyNamed, read } from './helpers';

describe('SAM templates', async () => {
  const result = await read(fixture('sam-app.yaml'), 'sam-app.yaml', {
    accountId: '111122223333',
    region: 'eu-west-1',
  });

  it('is read as SAM, with its key, alias and suppressions', () => {
    expect(result.format).toBe('sam');
    expect(result.errors).toEqual([]);
    const key = keyNamed(result, 'DataKey');
    expect(key.resourceType).toBe('AWS::KMS::Key');
    expect(key.aliases).toEqual(['alias/app-data']);
    expect(key.enableKeyRotation).toBe(true);
    expect(key.suppressions).toEqual([
      { rule: 'kms-key-policy-wildcard', reason: 'the wildcard is limited to this account by kms:CallerAccount' },
    ]);
    expect(key.peerSuppressions).toEqual(['F76', 'CKV_AWS_33']);
  });

  it('expands KMSDecryptPolicy and KMSEncryptPolicy as SAM defines them, for the implicit role', () => {
    const reader = result.policies.filter((p) => p.logicalId === 'ReaderFunction');
    const byName = Object.fromEntries(reader.map((p) => [p.name ?? 'inline', p]));
    expect(byName.KMSDecryptPolicy?.document).toEqual({
      Statement: [
        {
          Action: 'kms:Decrypt',
          Effect: 'Allow',
          Resource: 'arn:aws:kms:eu-west-1:111122223333:key/{{Ref:DataKey}}',
        },
      ],
    });
    expect(byName.KMSEncryptPolicy?.document).toEqual({
      Statement: [
        { Action: 'kms:Encrypt', Effect: 'Allow', Resource: 'arn:aws:kms:eu-west-1:111122223333:key/{{Ref:DataKey}}' },
      ],
    });
    expect(byName.KMSDecryptPolicy?.kind).toBe('function');
    expect(byName.KMSDecryptPolicy?.attachedTo).toEqual(['ReaderFunction', 'ReaderFunctionRole']);
    expect(byName.KMSDecryptPolicy?.principalArns).toEqual(['arn:aws:iam::111122223333:role/{{ReaderFunctionRole}}']);
  });

  it('keeps inline statements that concern KMS and drops the others', () => {
    const inline = result.policies.filter((p) => p.logicalId === 'ReaderFunction' && p.name === undefined);
    expect(inline).toHaveLength(1);
    expect(inline[0]?.document).toEqual({
      Statement: [{ Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: '{{Ref:SharedKeyArn}}' }],
    });
  });

  it('notes other policy templates and managed policies it does not read', () => {
    const messages = result.notes.map((n) => n.message);
    expect(messages).toContain(
      'SAM policy template S3ReadPolicy is not expanded by keywarden (only KMSDecryptPolicy, KMSEncryptPolicy, KMSEncryptPolicy_v2 are)',
    );
    expect(messages).toContain(
      'ReaderFunction is attached AWS managed policy AWSLambdaBasicExecutionRole: its document is not in the template and is not read',
    );
    expect(messages).toContain('WriterFunction sets Role, so SAM ignores its Policies');
  });

  it('reads the explicit role of a function and resolves !GetAtt of the implicit role', () => {
    const writer = result.policies.filter((p) => p.logicalId === 'WriterRole');
    expect(writer.map((p) => p.name)).toEqual(['use-data-key']);
    expect(writer[0]?.kind).toBe('role');
    expect(writer[0]?.principalArns).toEqual(['arn:aws:iam::111122223333:role/{{WriterRole}}']);
    expect(result.policies.some((p) => p.logicalId === 'WriterFunction')).toBe(false);
  });
});

describe('IAM policies that concern KMS', async () => {
  const result = await read(fixture('iam-policies.yaml'), 'iam-policies.yaml');
  const find = (id: string, name?: string) =>
    result.policies.find((p) => p.logicalId === id && (name === undefined || p.name === name));

  it('includes Action "*" and NotAction policies, excludes policies without KMS', () => {
    expect(find('AdminRole', 'everything')?.kind).toBe('role');
    expect(find('Analysts', 'not-kms')?.kind).toBe('group');
    expect(find('S3OnlyPolicy')).toBeUndefined();
  });

  it('attaches managed policies through ManagedPolicyArns and notes external ones', () => {
    const managed = find('KeyUseManagedPolicy');
    expect(managed?.kind).toBe('managed-policy');
    expect(managed?.attachedTo).toEqual(['AdminRole']);
    expect(managed?.principalArns).toEqual(['arn:aws:iam::{{AWS::AccountId}}:role/key-admin']);
    expect(result.notes.map((n) => n.message)).toContain(
      'AdminRole is attached managed policy arn:aws:iam::aws:policy/ReadOnlyAccess: its document is not in the template and is not read',
    );
  });

  it('resolves the principals of AWS::IAM::Policy by Ref and by name, and group members', () => {
    const audit = find('AuditPolicy');
    expect(audit?.attachedTo).toEqual(['arn:aws:iam::{{AWS::AccountId}}:role/external-auditor', 'Analyst']);
    expect(audit?.principalArns).toEqual([
      'arn:aws:iam::{{AWS::AccountId}}:role/external-auditor',
      'arn:aws:iam::{{AWS::AccountId}}:user/analyst',
    ]);
    expect(find('Analysts')?.principalArns).toEqual(['arn:aws:iam::{{AWS::AccountId}}:user/analyst']);
  });

  it('locates a statement of a policy on its line', () => {
    const managed = find('KeyUseManagedPolicy');
    expect(managed?.locate('/Statement/0/Action')).toMatchObject({
      pointer: '/Resources/KeyUseManagedPolicy/Properties/PolicyDocument/Statement/0/Action',
      line: 60,
      column: 13,
    });
  });
});
