import { describe, expect, it } from 'vitest';
import { read } from './helpers';

const KEY = `  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:root'}
            Action: kms:*
            Resource: '*'
`;

describe('bad CloudFormation input gives located errors, never a crash', () => {
  it('invalid YAML', async () => {
    const result = await read('Resources:\n  Key:\n    Type: AWS::KMS::Key\n   Properties: [\n');
    expect(result.keys).toEqual([]);
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors[0]).toMatchObject({ file: 'template.yaml', line: 4 });
    expect(result.errors[0]?.message).toMatch(/^invalid YAML: /);
  });

  it('invalid JSON', async () => {
    const result = await read('{\n  "Resources": {\n    "Key": {"Type": "AWS::KMS::Key",}\n  }\n}', 'template.json');
    expect(result.keys).toEqual([]);
    expect(result.errors[0]).toMatchObject({ line: 3 });
    expect(result.errors[0]?.message).toMatch(/^invalid JSON: /);
  });

  it('duplicate keys are a located error; the last one is read', async () => {
    const result = await read(`Resources:\n${KEY}${KEY.replace('kms:*', 'kms:Decrypt')}`);
    expect(result.errors).toEqual([
      expect.objectContaining({
        pointer: '/Resources/Key',
        line: 11,
        column: 3,
        message: 'duplicate key Key: CloudFormation tools reject it or keep only the last one; remove one of them',
      }),
    ]);
    expect(result.keys).toHaveLength(1);
    expect(JSON.stringify(result.keys[0]?.policy)).toContain('kms:Decrypt');
  });

  it('an unknown tag is a located error; the rest of the template is read', async () => {
    const result = await read(
      `Resources:\n${KEY}  Other:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Bogus x\n`,
    );
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ line: 14, pointer: '/Resources/Other/Properties/TopicName' });
    expect(result.errors[0]?.message).toMatch(/^unknown tag !Bogus/);
    expect(result.keys).toHaveLength(1);
  });

  it('circular conditions are a located error, not a hang', async () => {
    const text = `Conditions:
  A: !Condition B
  B: !And [!Condition C, !Equals [x, x]]
  C: !Condition A
Resources:
  Key:
    Type: AWS::KMS::Key
    Condition: A
    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: kms:*
            Resource: !If [B, a, b]
`;
    const result = await read(text);
    const circular = result.errors.filter((e) => e.message.startsWith('circular condition'));
    expect(circular.length).toBeGreaterThan(0);
    expect(circular[0]).toMatchObject({ pointer: '/Conditions/A', line: 2, column: 3 });
    expect(circular[0]?.message).toBe('circular condition: A -> B -> C -> A; a condition cannot depend on itself');
    expect(result.keys).toHaveLength(1);
  });

  it('circular names through !Ref/!GetAtt are a located error', async () => {
    const text = `Resources:
  A:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub '\${B.Arn}-a'
  B:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !GetAtt A.Arn
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: kms:Decrypt, Resource: '*'}
`;
    const result = await read(text);
    expect(result.errors.some((e) => e.message.startsWith('circular reference: the RoleName of'))).toBe(true);
    expect(result.policies).toHaveLength(1);
  });

  it('Ref to something that does not exist is a located error', async () => {
    const result = await read(`Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - {Effect: Allow, Principal: {AWS: !Ref Missing}, Action: kms:*, Resource: '*'}
`);
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: 'Ref Missing: no parameter, pseudo parameter or resource has that name',
        line: 7,
      }),
    ]);
  });

  it('a resource without Type and a malformed suppression are located errors', async () => {
    const result = await read(`Resources:
  NoType:
    Properties: {}
  Key:
    Type: AWS::KMS::Key
    Metadata:
      keywarden:
        suppress:
          - rule: kms-public-key
`);
    expect(result.errors.map((e) => [e.line, e.message])).toEqual([
      [2, 'resource NoType has no Type: add Type, e.g. AWS::KMS::Key'],
      [
        9,
        'a keywarden suppression needs a rule id and a reason, e.g. {rule: kms-public-key, reason: "why this is safe"}',
      ],
    ]);
    expect(result.keys[0]?.suppressions).toEqual([]);
  });

  it('deep nesting is an error, not a stack overflow', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const result = await read(
      `Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy: ${deep}\n`,
    );
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.keys).toEqual([]);
  });

  it('a template with 500 resources is read', async () => {
    let text = 'Resources:\n';
    for (let i = 0; i < 500; i++) text += KEY.replace('  Key:', `  Key${i}:`);
    const result = await read(text);
    expect(result.errors).toEqual([]);
    expect(result.keys).toHaveLength(500);
    expect(result.keys[499]?.locatePolicy('/Statement/0')).toMatchObject({ line: 499 * 9 + 7 });
  });

  it('a 5 MB template is read', async () => {
    const description = `  Description: ${'x'.repeat(200)}\n`;
    let text = 'Resources:\n';
    let i = 0;
    while (text.length < 5 * 1024 * 1024) {
      text += `  Topic${i}:\n    Type: AWS::SNS::Topic\n    Properties:\n${description.replace('  Description', '      DisplayName')}`;
      i++;
    }
    text += KEY;
    const result = await read(text);
    expect(result.errors).toEqual([]);
    expect(result.keys.map((k) => k.logicalId)).toEqual(['Key']);
  });

  it('a file that is no template is rejected with a message', async () => {
    const result = await read('just: some\nyaml: file\n', 'notes.yaml');
    expect(result.keys).toEqual([]);
    expect(result.errors[0]?.message).toMatch(/^not a CloudFormation\/SAM template/);
  });
});

describe('conditions on resources', () => {
  it('a key whose condition is false is not created; false only by defaults or undecidable ones are kept', async () => {
    const text = `Parameters:
  Create:
    Type: String
    Default: 'false'
  Maybe:
    Type: String
Conditions:
  ShouldCreate: !Equals [!Ref Create, 'true']
  MaybeCreate: !Equals [!Ref Maybe, 'true']
  Never: !Equals [a, b]
Resources:
  ByDefaultOff:
    Type: AWS::KMS::Key
    Condition: ShouldCreate
  Kept:
    Type: AWS::KMS::Key
    Condition: MaybeCreate
  Skipped:
    Type: AWS::KMS::Key
    Condition: Never
`;
    const result = await read(text);
    expect(result.keys.map((k) => k.logicalId)).toEqual(['ByDefaultOff', 'Kept']);
    expect(result.notes.map((n) => n.message)).toEqual(
      expect.arrayContaining([
        'ByDefaultOff is created only if condition ShouldCreate holds: false with the parameter defaults, but a deployment may pass other values',
        'Kept is created only if condition MaybeCreate holds, which is unknown before deploy',
        'Skipped is not created: condition Never is false',
      ]),
    );
    const explicit = await read(text, 'template.yaml', { parameters: { Create: 'false', Maybe: 'true' } });
    expect(explicit.keys.map((k) => k.logicalId)).toEqual(['Kept']);
  });

  it('string booleans and numbers in key properties', async () => {
    const result = await read(`Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: "True"
      Enabled: 'false'
      KeySpec: RSA_2048
      KeyUsage: SIGN_VERIFY
      PendingWindowInDays: "7"
      MultiRegion: true
  Replica:
    Type: AWS::KMS::ReplicaKey
    Properties:
      PrimaryKeyArn: arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab
      KeyPolicy: {Version: '2012-10-17', Statement: []}
`);
    expect(result.keys[0]).toMatchObject({
      enableKeyRotation: true,
      enabled: false,
      keySpec: 'RSA_2048',
      keyUsage: 'SIGN_VERIFY',
      pendingWindowInDays: 7,
      multiRegion: true,
      policy: undefined,
    });
    expect(result.keys[1]).toMatchObject({ resourceType: 'AWS::KMS::ReplicaKey', policy: { Statement: [] } });
  });
});
