import { describe, expect, it } from 'vitest';
import { fixture, keyNamed, read } from './helpers';

describe('source positions of CloudFormation templates', () => {
  it('YAML: a statement lands on its line, also after an !If removed an earlier statement', async () => {
    const key = keyNamed(await read(fixture('positions.yaml'), 'positions.yaml'), 'Key');
    const statements = (key.policy as { Statement: Array<{ Sid: string }> }).Statement;
    expect(statements.map((s) => s.Sid)).toEqual(['Root', 'Public']);
    expect(key.locatePolicy('/Statement/1')).toEqual({
      file: 'positions.yaml',
      pointer: '/Resources/Key/Properties/KeyPolicy/Statement/2',
      line: 25,
      column: 13,
    });
    expect(key.locatePolicy('/Statement/1/Principal/AWS/1')).toMatchObject({ line: 30, column: 19 });
    expect(key.locatePolicy('/Statement/1/Action/0')).toMatchObject({ line: 31, column: 22 });
    expect(key.locatePolicy('/Statement/0/Principal/AWS')).toMatchObject({ line: 14, column: 15 });
    expect(key.policyLocation).toMatchObject({ line: 8, column: 7 });
    expect(key.location).toMatchObject({ pointer: '/Resources/Key', line: 5, column: 3 });
  });

  it('YAML: an element the template does not write is located at its nearest written ancestor', async () => {
    const key = keyNamed(await read(fixture('positions.yaml'), 'positions.yaml'), 'Key');
    expect(key.locatePolicy('/Statement/1/Condition/StringEquals')).toMatchObject({ line: 25, column: 13 });
  });

  it('JSON: line and column of the statement and of its principal', async () => {
    const key = keyNamed(await read(fixture('positions.json'), 'positions.json'), 'Key');
    expect(key.locatePolicy('/Statement/1')).toMatchObject({ line: 16, column: 13 });
    expect(key.locatePolicy('/Statement/1/Principal')).toMatchObject({ line: 19, column: 15 });
    expect(key.locatePolicy('/Statement/0/Principal/AWS')).toMatchObject({ line: 12, column: 30 });
  });

  it('a note is located where the symbolic value is written', async () => {
    const text = `Parameters:
  Admin:
    Type: String
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Ref Admin
            Action: kms:*
            Resource: '*'
`;
    const result = await read(text);
    expect(result.notes).toEqual([
      {
        file: 'template.yaml',
        pointer: '/Resources/Key/Properties/KeyPolicy/Statement/0/Principal/AWS/Ref',
        line: 12,
        column: 20,
        message: 'parameter Admin has no default: pass --parameter Admin=VALUE to resolve it',
      },
    ]);
  });
});
