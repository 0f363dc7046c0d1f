import { describe, expect, it } from 'vitest';
import { templateAccess } from '../../src/app/template-access';
import { readTemplateKeys } from '../../src/sources/iac/to-snapshots';
import { example, NOW } from './helpers';

async function access(text: string, file = 'template.yaml', parameters?: Record<string, string>) {
  const read = await readTemplateKeys(text, file, { now: () => NOW, ...(parameters ? { parameters } : {}) });
  if (!read) throw new Error('not a template');
  return templateAccess(read.result, read.keys);
}

const who = (key: Awaited<ReturnType<typeof access>>[number], cls: 'use' | 'admin') =>
  Object.fromEntries(key.principals.filter((p) => p.access[cls]).map((p) => [p.label, p.access[cls]!.actions]));

const template = (keyStatements: string) => `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
${keyStatements}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      CodeUri: src/
      Policies:
        - KMSDecryptPolicy:
            KeyId: !Ref Key
`;
const ROOT = `          - Sid: Root
            Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::\${AWS::AccountId}:root
            Action: kms:*
            Resource: "*"
`;

describe('template-level access', () => {
  it('the SAM example: the function through the root statement and KMSDecryptPolicy, the role through its inline policy, the admin role named directly', async () => {
    const [key] = await access(example('sam-app.yaml'), 'sam-app.yaml');
    expect(who(key!, 'use')).toEqual({
      'function ReadOrdersFunction (its role ReadOrdersFunctionRole)': ['kms:Decrypt'],
      'role ReportRole': ['kms:Encrypt', 'kms:GenerateDataKey'],
    });
    const fn = key!.principals.find((p) => p.label.startsWith('function'))!.access.use!;
    expect(fn.because.keyPolicy).toEqual([
      {
        sid: 'Enable IAM User Permissions',
        pointer: '/Statement/0',
        throughAccountRoot: true,
        at: { file: 'sam-app.yaml', line: 20, column: 13 },
      },
    ]);
    expect(fn.because.iamPolicies).toEqual([
      {
        description: 'SAM policy template KMSDecryptPolicy of function ReadOrdersFunction',
        at: { file: 'sam-app.yaml', line: 72, column: 11 },
      },
    ]);
    expect(Object.keys(who(key!, 'admin'))).toEqual(['role orders-key-admin-prod']);
    expect(key!.rootStatements.map((s) => s.sid)).toEqual(['Enable IAM User Permissions']);
    expect(key!.notes.join('\n')).toContain('AWSLambdaBasicExecutionRole');
  });

  it('without the account-root statement the IAM policy gives the function nothing', async () => {
    const [key] = await access(
      template(`          - Sid: Admins
            Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::\${AWS::AccountId}:role/admins
            Action: kms:*
            Resource: "*"
`),
    );
    // Only the role the key policy names; the function's KMSDecryptPolicy alone opens nothing.
    expect(Object.keys(who(key!, 'use'))).toEqual(['role admins']);
    expect(key!.rootStatements).toEqual([]);
  });

  it('a Deny in the key policy takes the action away from the function', async () => {
    const [key] = await access(
      template(`${ROOT}          - Sid: NoDecryptOutsideTheVpc
            Effect: Deny
            Principal: "*"
            Action: kms:Decrypt
            Resource: "*"
`),
    );
    expect(who(key!, 'use')).toEqual({});
    const [allowed] = await access(template(ROOT));
    expect(who(allowed!, 'use')).toEqual({ 'function Fn (its role FnRole)': ['kms:Decrypt'] });
  });

  it('an IAM policy on another key gives nothing on this one', async () => {
    const text = template(ROOT).replace('KeyId: !Ref Key', 'KeyId: 1234abcd-12ab-34cd-56ef-1234567890ab');
    const [key] = await access(text);
    expect(who(key!, 'use')).toEqual({});
  });

  it('Terraform: the role policy attached to the role, on the key by its arn', async () => {
    const [key] = await access(example('kms.tf'), 'kms.tf', { partner_account: '444455556666' });
    expect(who(key!, 'use')).toEqual({ 'role exporter': ['kms:Encrypt', 'kms:GenerateDataKey'] });
  });
});
