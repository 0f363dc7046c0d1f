import { describe, expect, it } from 'vitest';
import { actionMatches } from './action';

describe('actionMatches', () => {
  it.each([
    [['kms:Decrypt'], 'kms:Decrypt', true],
    [['kms:decrypt'], 'KMS:DECRYPT', true],
    [['kms:*'], 'kms:ScheduleKeyDeletion', true],
    [['*'], 's3:GetObject', true],
    [['kms:Create*'], 'kms:CreateGrant', true],
    [['kms:Create*'], 'kms:Decrypt', false],
    [['kms:GenerateDataKey*'], 'kms:GenerateDataKeyWithoutPlaintext', true],
    [['kms:Re*'], 'kms:ReEncryptFrom', true],
    [['kms:Encrypt', 'kms:Decrypt'], 'kms:Decrypt', true],
    [['s3:*'], 'kms:Decrypt', false],
    [[], 'kms:Decrypt', false],
  ] as [string[], string, boolean][])('%j matches %j: %s', (patterns, action, expected) => {
    expect(actionMatches(patterns, action)).toBe(expected);
  });
});
