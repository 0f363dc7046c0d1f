// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are literal ${...} text
import { describe, expect, it } from 'vitest';
import { policy } from '../../test/policy/helpers';
import { evaluate, statementApplies } from './evaluate';

const A = '111122223333';
const B = '444455556666';
const keyArn = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const keyPolicy = policy({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
    {
      Sid: 'PartnerUse',
      Effect: 'Allow',
      Principal: { AWS: B },
      Action: ['kms:Decrypt', 'kms:Encrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    },
    {
      Sid: 'NoDeleteWithoutMfa',
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:ScheduleKeyDeletion',
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
  ],
});

describe('evaluate', () => {
  it('allows through the account statement and names the deciding statements', () => {
    const result = evaluate(keyPolicy, { principal: `arn:aws:iam::${A}:user/alice`, action: 'kms:Decrypt' });
    expect(result.decision).toBe('allow');
    expect(result.decidedBy.map((s) => s.sid)).toEqual(['Root']);
  });

  it('gives explicit-deny with the applying Deny statements, whatever allows', () => {
    const result = evaluate(keyPolicy, {
      principal: `arn:aws:iam::${A}:user/alice`,
      action: 'KMS:scheduleKeyDeletion',
    });
    expect(result).toMatchObject({ decision: 'explicit-deny' });
    expect(result.decidedBy.map((s) => s.sid)).toEqual(['NoDeleteWithoutMfa']);
    const withMfa = evaluate(keyPolicy, {
      principal: `arn:aws:iam::${A}:user/alice`,
      action: 'kms:ScheduleKeyDeletion',
      context: { 'aws:MultiFactorAuthPresent': 'true' },
    });
    expect(withMfa.decision).toBe('allow');
  });

  it('evaluates conditions of cross-account statements', () => {
    const partner = `arn:aws:iam::${B}:role/App`;
    expect(evaluate(keyPolicy, { principal: partner, action: 'kms:Decrypt' }).decision).toBe('implicit-deny');
    const viaS3 = { 'kms:ViaService': 's3.us-east-1.amazonaws.com' };
    expect(evaluate(keyPolicy, { principal: partner, action: 'kms:Decrypt', context: viaS3 }).decision).toBe('allow');
    expect(evaluate(keyPolicy, { principal: partner, action: 'kms:CreateGrant', context: viaS3 }).decision).toBe(
      'implicit-deny',
    );
  });

  it('gives implicit-deny with no deciding statements', () => {
    expect(evaluate(keyPolicy, { principal: '*', action: 'kms:Decrypt' })).toEqual({
      decision: 'implicit-deny',
      decidedBy: [],
    });
  });

  it('matches Resource against the request resource when given', () => {
    const p = policy({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: `arn:aws:kms:*:${A}:key/*` }],
    });
    expect(evaluate(p, { principal: '*', action: 'kms:Decrypt', resource: keyArn }).decision).toBe('allow');
    expect(evaluate(p, { principal: '*', action: 'kms:Decrypt', resource: keyArn.replace(A, B) }).decision).toBe(
      'implicit-deny',
    );
    expect(evaluate(p, { principal: '*', action: 'kms:Decrypt' }).decision).toBe('allow');
  });

  it('resolves policy variables only in Version 2012-10-17 policies', () => {
    const statement = {
      Effect: 'Allow',
      Principal: '*',
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalAccount': '${aws:ResourceAccount}' } },
    };
    const context = { 'aws:PrincipalAccount': A, 'aws:ResourceAccount': A };
    const modern = policy({ Version: '2012-10-17', Statement: [statement] });
    const legacy = policy({ Version: '2008-10-17', Statement: [statement] });
    expect(evaluate(modern, { principal: '*', action: 'kms:Decrypt', context }).decision).toBe('allow');
    expect(evaluate(legacy, { principal: '*', action: 'kms:Decrypt', context }).decision).toBe('implicit-deny');
  });

  it('NotAction applies to every other action', () => {
    const p = policy({
      Statement: [
        { Effect: 'Allow', Principal: { AWS: A }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Deny', Principal: { AWS: A }, NotAction: ['kms:Decrypt', 'kms:Describe*'], Resource: '*' },
      ],
    });
    const principal = `arn:aws:iam::${A}:role/R`;
    expect(evaluate(p, { principal, action: 'kms:Decrypt' }).decision).toBe('allow');
    expect(evaluate(p, { principal, action: 'kms:DescribeKey' }).decision).toBe('allow');
    expect(evaluate(p, { principal, action: 'kms:Encrypt' }).decision).toBe('explicit-deny');
  });

  it('statementApplies checks principal, action, resource and conditions', () => {
    const [root, partner] = keyPolicy.statements;
    expect(statementApplies(root!, { principal: A, action: 'kms:PutKeyPolicy' })).toBe(true);
    expect(statementApplies(root!, { principal: B, action: 'kms:PutKeyPolicy' })).toBe(false);
    expect(statementApplies(partner!, { principal: B, action: 'kms:Decrypt' })).toBe(false);
    expect(
      statementApplies(partner!, {
        principal: B,
        action: 'kms:Decrypt',
        context: { 'KMS:VIASERVICE': 's3.us-east-1.amazonaws.com' },
      }),
    ).toBe(true);
  });
});
