// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub and Terraform interpolation syntax in fixtures
import { describe, expect, it } from 'vitest';
import { keyNamed, read, resolvedResource } from './helpers';

const PARAMETERS = `Parameters:
  Env:
    Type: String
    Default: prod
  Names:
    Type: CommaDelimitedList
    Default: "a,b,c"
  NoDefault:
    Type: String
Mappings:
  Accounts:
    prod:
      Id: "111122223333"
    dev:
      Id: "444455556666"
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [a, a]]
  Either: !Or [!Condition IsDev, !Equals [x, y]]
  Unknown: !Equals [!Ref NoDefault, x]
`;

const TEMPLATE_RESOURCES = `
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app-role
      Path: /service/
      AssumeRolePolicyDocument: {}
  UnnamedRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}`;

async function resolve(value: string, options = {}) {
  const { value: resolved, result } = await resolvedResource(value, PARAMETERS, options);
  return { resolved, result };
}

async function resolveWithResources(value: string) {
  const text = `${PARAMETERS}Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: {AWS: '*'}
            Action: kms:Decrypt
            Resource: ${value}${TEMPLATE_RESOURCES}
`;
  const result = await read(text);
  const policy = keyNamed(result, 'Key').policy as { Statement: Array<{ Resource: unknown }> };
  return { resolved: policy.Statement[0]?.Resource, result };
}

describe('CloudFormation short-form tags and their long forms', () => {
  it('!Ref of a parameter uses its default, of a pseudo parameter the options', async () => {
    expect((await resolve('!Ref Env')).resolved).toBe('prod');
    expect((await resolve('{Ref: Env}')).resolved).toBe('prod');
    expect((await resolve('!Ref AWS::AccountId', { accountId: '999988887777' })).resolved).toBe('999988887777');
    expect((await resolve('!Ref AWS::AccountId')).resolved).toBe('{{AWS::AccountId}}');
    expect((await resolve('!Ref AWS::Region', { region: 'eu-west-1' })).resolved).toBe('eu-west-1');
    expect((await resolve('!Ref AWS::Partition', { region: 'cn-north-1' })).resolved).toBe('aws-cn');
    expect((await resolve('!Ref AWS::URLSuffix', { region: 'cn-north-1' })).resolved).toBe('amazonaws.com.cn');
  });

  it('!Ref of a parameter without a value stays symbolic and is noted', async () => {
    const { resolved, result } = await resolve('!Ref NoDefault');
    expect(resolved).toBe('{{Ref:NoDefault}}');
    expect(result.notes.map((n) => n.message)).toContain(
      'parameter NoDefault has no default: pass --parameter NoDefault=VALUE to resolve it',
    );
    expect((await resolve('!Ref NoDefault', { parameters: { NoDefault: 'given' } })).resolved).toBe('given');
  });

  it('!Ref of a resource is {{Ref:Id}}, of a named role its name', async () => {
    expect((await resolveWithResources('!Ref UnnamedRole')).resolved).toBe('{{Ref:UnnamedRole}}');
    expect((await resolveWithResources('!Ref Role')).resolved).toBe('app-role');
    expect((await resolveWithResources('!Ref Key')).resolved).toBe('{{Ref:Key}}');
  });

  it('!Sub with pseudo parameters, parameters, attributes, literals and a variable map', async () => {
    expect((await resolve('!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root')).resolved).toBe(
      'arn:aws:iam::{{AWS::AccountId}}:root',
    );
    expect((await resolve("!Sub '${Env}-${!Literal}'")).resolved).toBe('prod-${Literal}');
    expect((await resolve('!Sub ["${A}/${Env}", {A: !Ref Env}]')).resolved).toBe('prod/prod');
    expect((await resolve('{"Fn::Sub": "x-${Env}"}')).resolved).toBe('x-prod');
    expect((await resolveWithResources('!Sub "${Role.Arn}"')).resolved).toBe(
      'arn:aws:iam::{{AWS::AccountId}}:role/service/app-role',
    );
  });

  it('!GetAtt in dotted and list form: roles get their ARN, other attributes stay symbolic', async () => {
    expect((await resolveWithResources('!GetAtt Role.Arn')).resolved).toBe(
      'arn:aws:iam::{{AWS::AccountId}}:role/service/app-role',
    );
    expect((await resolveWithResources('!GetAtt [UnnamedRole, Arn]')).resolved).toBe(
      'arn:aws:iam::{{AWS::AccountId}}:role/{{UnnamedRole}}',
    );
    expect((await resolveWithResources('{"Fn::GetAtt": ["Key", "Arn"]}')).resolved).toBe('{{GetAtt:Key.Arn}}');
    expect((await resolveWithResources('!GetAtt Role.RoleId')).resolved).toBe('{{GetAtt:Role.RoleId}}');
  });

  it('!Join, !Select, !Split', async () => {
    expect((await resolve('!Join ["", ["arn:", !Ref AWS::Partition, ":iam::1:root"]]')).resolved).toBe(
      'arn:aws:iam::1:root',
    );
    expect((await resolve('!Join [",", !Ref Names]')).resolved).toBe('a,b,c');
    expect((await resolve('!Select [1, !Ref Names]')).resolved).toBe('b');
    expect((await resolve('!Select [0, !Split ["/", "x/y"]]')).resolved).toBe('x');
    expect((await resolve('!Split [",", "p,q"]')).resolved).toEqual(['p', 'q']);
    expect((await resolve('{"Fn::Join": ["-", [a, b]]}')).resolved).toBe('a-b');
  });

  it('!If picks the branch when the condition is decidable', async () => {
    expect((await resolve('!If [IsProd, yes-prod, no-prod]')).resolved).toBe('yes-prod');
    expect((await resolve('!If [IsDev, dev, not-dev]')).resolved).toBe('not-dev');
    expect((await resolve('!If [Both, both, neither]')).resolved).toBe('both');
    expect((await resolve('!If [Either, either, none]')).resolved).toBe('none');
    expect((await resolve('!If [IsProd, a, b]', { parameters: { Env: 'dev' } })).resolved).toBe('b');
  });

  it('!If keeps both branches when the condition cannot be decided, and notes it', async () => {
    const { resolved, result } = await resolve('!If [Unknown, one, !Ref AWS::NoValue]');
    expect(resolved).toEqual({ 'Fn::If': ['Unknown', 'one', '{{AWS::NoValue}}'] });
    expect(result.notes.some((n) => n.message.includes('condition Unknown cannot be decided before deploy'))).toBe(
      true,
    );
  });

  it('!ImportValue stays symbolic with a note', async () => {
    const { resolved, result } = await resolve('!ImportValue SharedKeyAdmin');
    expect(resolved).toBe('{{ImportValue:SharedKeyAdmin}}');
    expect(result.notes.map((n) => n.message)).toContain('!ImportValue SharedKeyAdmin: value unknown before deploy');
    expect((await resolve('{"Fn::ImportValue": {"Fn::Sub": "${Env}-Admin"}}')).resolved).toBe(
      '{{ImportValue:prod-Admin}}',
    );
  });

  it('!FindInMap looks the mapping up, with resolved keys', async () => {
    expect((await resolve('!FindInMap [Accounts, !Ref Env, Id]')).resolved).toBe('111122223333');
    expect((await resolve('!FindInMap [Accounts, dev, Id]')).resolved).toBe('444455556666');
    const missing = await resolve('!FindInMap [Accounts, test, Id]');
    expect(missing.resolved).toBe('{{FindInMap:Accounts.test.Id}}');
    expect(missing.result.errors[0]?.message).toContain('Mappings has no Accounts.test.Id');
    expect((await resolve('!FindInMap [Accounts, !Ref NoDefault, Id]')).resolved).toBe(
      '{{FindInMap:Accounts.{{Ref:NoDefault}}.Id}}',
    );
  });

  it('!Base64, !GetAZs and !Cidr', async () => {
    expect((await resolve('!Base64 hello')).resolved).toBe('aGVsbG8=');
    expect((await resolve('!GetAZs ""', { region: 'eu-west-1' })).resolved).toEqual(['{{GetAZs:eu-west-1}}']);
    const cidr = await resolve('!Cidr ["10.0.0.0/16", 4, 8]');
    expect(cidr.resolved).toBe('{{Fn::Cidr}}');
    expect(cidr.result.notes.some((n) => n.message.startsWith('Fn::Cidr is not evaluated'))).toBe(true);
  });

  it('!Equals, !And, !Or, !Not and !Condition evaluate to booleans in values', async () => {
    expect((await resolve('!Equals [!Ref Env, prod]')).resolved).toBe(true);
    expect((await resolve('!Not [!Equals [a, a]]')).resolved).toBe(false);
    expect((await resolve('!And [!Equals [a, a], !Condition IsDev]')).resolved).toBe(false);
    expect((await resolve('!Or [!Equals [a, b], !Condition IsProd]')).resolved).toBe(true);
  });

  it('Fn:: long forms in a JSON template', async () => {
    const text = JSON.stringify({
      Parameters: { Env: { Type: 'String', Default: 'prod' } },
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
      Resources: {
        Key: {
          Type: 'AWS::KMS::Key',
          Properties: {
            KeyPolicy: {
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
                  Action: 'kms:*',
                  Resource: { 'Fn::If': ['IsProd', { 'Fn::Join': ['-', ['a', { Ref: 'Env' }]] }, 'other'] },
                },
              ],
            },
          },
        },
      },
    });
    const result = await read(text, 'template.json');
    expect(result.format).toBe('cloudformation');
    expect(result.keys[0]?.policy).toEqual({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::{{AWS::AccountId}}:root' },
          Action: 'kms:*',
          Resource: 'a-prod',
        },
      ],
    });
  });
});
