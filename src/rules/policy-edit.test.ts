import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../policy/types';
import { addCondition, removeStatements } from './policy-edit';

const documentOf = (): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Root',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'kms:*',
      Resource: '*',
    },
    { Sid: 'Use', Effect: 'Allow', Principal: '*', Action: ['kms:Decrypt'], Resource: '*', Extra: [1, null, true] },
  ],
});

describe('policy edits copy the document', () => {
  it('never change the original, and copy JSON data exactly', () => {
    const original = documentOf();
    const before = JSON.stringify(original);
    const fixed = addCondition(original, '/Statement/1', 'StringEquals', 'aws:PrincipalAccount', '111122223333');
    expect(JSON.stringify(original)).toBe(before);
    expect(fixed).not.toBe(original);
    expect((fixed.Statement as unknown[])[0]).toEqual((original.Statement as unknown[])[0]);
    expect((fixed.Statement as unknown[])[0]).not.toBe((original.Statement as unknown[])[0]);
    expect((fixed.Statement as Array<Record<string, unknown>>)[1]!.Condition).toEqual({
      StringEquals: { 'aws:PrincipalAccount': '111122223333' },
    });
    const expected = documentOf();
    expected.Statement = (expected.Statement as unknown[]).slice(1);
    expect(removeStatements(original, ['/Statement/0'])).toEqual(expected);
  });

  it('keep structuredClone semantics for a value reached twice (one edit shows in both places)', () => {
    const shared = { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' };
    const original: PolicyDocument = { Version: '2012-10-17', Statement: [shared, shared] };
    const fixed = addCondition(original, '/Statement/0', 'Bool', 'aws:SecureTransport', 'true');
    const [first, second] = fixed.Statement as Array<Record<string, unknown>>;
    expect(first).toBe(second);
    expect(second!.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'true' } });
    expect(shared).not.toHaveProperty('Condition');
  });

  it('keep structuredClone semantics for values that are not JSON data (dates)', () => {
    const when = new Date('2024-05-01T00:00:00Z');
    const original = { ...documentOf(), Id: 'x', When: when } as PolicyDocument;
    const fixed = addCondition(original, '/Statement/1', 'Bool', 'aws:SecureTransport', 'true');
    expect(fixed.When).toBeInstanceOf(Date);
    expect(fixed.When).not.toBe(when);
    expect((fixed.When as Date).getTime()).toBe(when.getTime());
  });
});
