import { describe, expect, it } from 'vitest';
import type { PolicyError } from '../types';
import { parsePolicyValue } from './value';

const allow = { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'kms:Decrypt', Resource: '*' };

function errors(document: unknown): PolicyError[] {
  const result = parsePolicyValue(document);
  if (result.ok) throw new Error('expected the policy to be rejected');
  return result.errors;
}

function pointers(document: unknown): string[] {
  return errors(document).map((e) => e.pointer);
}

describe('parsePolicyValue: grammar', () => {
  it('accepts Statement as one object, with pointer /Statement', () => {
    const result = parsePolicyValue({ Version: '2012-10-17', Statement: allow });
    expect(result.ok && result.policy.statements.map((s) => [s.index, s.pointer])).toEqual([[0, '/Statement']]);
  });

  it('normalises strings to arrays and keeps Sid, Effect, version and id', () => {
    const result = parsePolicyValue({ Version: '2012-10-17', Id: 'key-policy', Statement: [{ Sid: 'A', ...allow }] });
    if (!result.ok) throw new Error('rejected');
    const [s] = result.policy.statements;
    expect(result.policy.version).toBe('2012-10-17');
    expect(result.policy.id).toBe('key-policy');
    expect(s).toMatchObject({
      sid: 'A',
      effect: 'Allow',
      action: ['kms:Decrypt'],
      resource: ['*'],
      pointer: '/Statement/0',
    });
    expect(s!.principal).toMatchObject({ anyone: false, aws: ['111122223333'], pointer: '/Statement/0/Principal' });
  });

  it('reads every principal form', () => {
    const result = parsePolicyValue({
      Statement: [
        { ...allow, Principal: '*' },
        { ...allow, Principal: { AWS: '*' } },
        {
          ...allow,
          Principal: {
            AWS: ['111122223333', 'arn:aws:iam::444455556666:role/R'],
            Service: 'logs.amazonaws.com',
            Federated: 'cognito-identity.amazonaws.com',
            CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
          },
        },
        { ...allow, Effect: 'Deny', Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } },
      ],
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const [star, awsStar, mixed, not] = result.policy.statements;
    expect(star!.principal!.anyone).toBe(true);
    expect(awsStar!.principal!.anyone).toBe(true);
    expect(mixed!.principal).toMatchObject({
      anyone: false,
      service: ['logs.amazonaws.com'],
      federated: ['cognito-identity.amazonaws.com'],
    });
    expect(mixed!.principal!.canonicalUser).toHaveLength(1);
    expect(not!.notPrincipal!.aws).toEqual(['arn:aws:iam::111122223333:root']);
  });

  it('reads NotAction, NotResource and conditions (values stored as strings)', () => {
    const result = parsePolicyValue({
      Statement: {
        Effect: 'Deny',
        Principal: '*',
        NotAction: ['kms:Decrypt'],
        NotResource: 'arn:aws:kms:*:*:key/x',
        Condition: {
          'ForAnyValue:StringLikeIfExists': { 'kms:EncryptionContextKeys': ['a*', 'b'] },
          NumericLessThan: { 'test:n': 5 },
          Bool: { 'aws:SecureTransport': false },
          StringEquals: { 'test:mixed': ['a', 1, true] },
        },
      },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const [s] = result.policy.statements;
    expect(s!.notAction).toEqual(['kms:Decrypt']);
    expect(s!.notResource).toEqual(['arn:aws:kms:*:*:key/x']);
    expect(s!.conditions).toEqual([
      {
        operator: 'ForAnyValue:StringLikeIfExists',
        baseOperator: 'StringLike',
        qualifier: 'ForAnyValue',
        ifExists: true,
        key: 'kms:EncryptionContextKeys',
        values: ['a*', 'b'],
        pointer: '/Statement/Condition/ForAnyValue:StringLikeIfExists/kms:EncryptionContextKeys',
      },
      expect.objectContaining({ baseOperator: 'NumericLessThan', values: ['5'] }),
      expect.objectContaining({ baseOperator: 'Bool', values: ['false'] }),
      expect.objectContaining({ values: ['a', '1', 'true'] }),
    ]);
  });

  it('escapes pointer tokens (RFC 6901)', () => {
    const result = parsePolicyValue({
      Statement: [{ ...allow, Condition: { StringEquals: { 'aws:RequestTag/a~b': 'x' } } }],
    });
    expect(result.ok && result.policy.statements[0]!.conditions[0]!.pointer).toBe(
      '/Statement/0/Condition/StringEquals/aws:RequestTag~1a~0b',
    );
  });

  it('never rejects template placeholders', () => {
    const result = parsePolicyValue({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::{{AWS::AccountId}}:root', '{{GetAtt:Role.Arn}}'] },
          Action: 'kms:*',
          Resource: '{{Ref:Key}}',
          Condition: {
            StringEquals: { 'aws:SourceAccount': '{{AWS::AccountId}}' },
            NumericLessThan: { 'x:n': '{{Ref:N}}' },
          },
        },
      ],
    });
    expect(result.ok).toBe(true);
  });
});

describe('parsePolicyValue: validation (every error names its pointer)', () => {
  it.each([
    ['not an object', 'x', ['']],
    ['an array', [], ['']],
    ['no Statement', { Version: '2012-10-17' }, ['']],
    ['Statement a string', { Statement: 'x' }, ['/Statement']],
    ['a statement not an object', { Statement: [allow, 5] }, ['/Statement/1']],
    ['missing Effect', { Statement: [{ ...allow, Effect: undefined }] }, ['/Statement/0']],
    ['lower-case Effect', { Statement: [{ ...allow, Effect: 'allow' }] }, ['/Statement/0/Effect']],
    ['Effect a number', { Statement: [{ ...allow, Effect: 1 }] }, ['/Statement/0/Effect']],
    ['Action a number', { Statement: [{ ...allow, Action: 5 }] }, ['/Statement/0/Action']],
    [
      'Action entry not a string',
      { Statement: [{ ...allow, Action: ['kms:Decrypt', null] }] },
      ['/Statement/0/Action/1'],
    ],
    ['no Action', { Statement: [{ ...allow, Action: undefined }] }, ['/Statement/0']],
    ['Action and NotAction', { Statement: [{ ...allow, NotAction: 'kms:Encrypt' }] }, ['/Statement/0/NotAction']],
    ['Principal and NotPrincipal', { Statement: [{ ...allow, NotPrincipal: '*' }] }, ['/Statement/0/NotPrincipal']],
    ['Principal a string', { Statement: [{ ...allow, Principal: '111122223333' }] }, ['/Statement/0/Principal']],
    ['Principal type unknown', { Statement: [{ ...allow, Principal: { Aws: 'x' } }] }, ['/Statement/0/Principal/Aws']],
    ['Principal empty', { Statement: [{ ...allow, Principal: {} }] }, ['/Statement/0/Principal']],
    [
      'Principal AWS a number',
      { Statement: [{ ...allow, Principal: { AWS: 111122223333 } }] },
      ['/Statement/0/Principal/AWS'],
    ],
    ['Resource and NotResource', { Statement: [{ ...allow, NotResource: '*' }] }, ['/Statement/0/NotResource']],
    ['Resource an object', { Statement: [{ ...allow, Resource: {} }] }, ['/Statement/0/Resource']],
    ['Sid a number', { Statement: [{ ...allow, Sid: 1 }] }, ['/Statement/0/Sid']],
    ['Condition an array', { Statement: [{ ...allow, Condition: [] }] }, ['/Statement/0/Condition']],
    [
      'unknown operator',
      { Statement: [{ ...allow, Condition: { StringEqual: { k: 'v' } } }] },
      ['/Statement/0/Condition/StringEqual'],
    ],
    [
      'NullIfExists',
      { Statement: [{ ...allow, Condition: { NullIfExists: { k: 'true' } } }] },
      ['/Statement/0/Condition/NullIfExists'],
    ],
    [
      'operator value a string',
      { Statement: [{ ...allow, Condition: { StringEquals: 'x' } }] },
      ['/Statement/0/Condition/StringEquals'],
    ],
    [
      'condition value null',
      { Statement: [{ ...allow, Condition: { StringEquals: { k: null } } }] },
      ['/Statement/0/Condition/StringEquals/k'],
    ],
    [
      'condition value object',
      { Statement: [{ ...allow, Condition: { StringEquals: { k: ['a', {}] } } }] },
      ['/Statement/0/Condition/StringEquals/k/1'],
    ],
    ['unknown element', { Statement: [{ ...allow, effect: 'Allow' }] }, ['/Statement/0/effect']],
    ['unknown top-level element', { Statement: [allow], Foo: 1 }, ['/Foo']],
    ['bad Version', { Version: '2020-01-01', Statement: [allow] }, ['/Version']],
    ['Id a number', { Id: 5, Statement: [allow] }, ['/Id']],
  ])('%s', (_name, document, expected) => {
    const found = errors(document);
    expect(found.map((e) => e.pointer)).toEqual(expected);
    for (const e of found) expect(e.message.length).toBeGreaterThan(10);
  });

  it('collects every error, not only the first', () => {
    expect(
      pointers({
        Statement: [
          { ...allow, Effect: 'Permit', Action: 5 },
          allow,
          { ...allow, Condition: { Foo: {}, StringEquals: { k: null } } },
        ],
      }),
    ).toEqual([
      '/Statement/0/Effect',
      '/Statement/0/Action',
      '/Statement/2/Condition/Foo',
      '/Statement/2/Condition/StringEquals/k',
    ]);
  });

  it('messages say what is wrong and how to fix it', () => {
    const [effect] = errors({ Statement: [{ ...allow, Effect: 'allow' }] });
    expect(effect!.message).toContain('"Allow" or "Deny"');
    const [operator] = errors({ Statement: [{ ...allow, Condition: { StringEqual: { k: 'v' } } }] });
    expect(operator!.message).toContain('did you mean "StringEquals"');
    const [element] = errors({ Statement: [{ ...allow, condition: {} }] });
    expect(element!.message).toContain('did you mean "Condition"');
  });

  it('attaches line and column from a locate function', () => {
    const result = parsePolicyValue(
      { Statement: [{ ...allow, Effect: 'Permit' }] },
      { locate: (pointer) => ({ pointer, line: 7, column: 3 }) },
    );
    expect(!result.ok && result.errors[0]).toEqual(
      expect.objectContaining({ pointer: '/Statement/0/Effect', line: 7, column: 3 }),
    );
    const ok = parsePolicyValue({ Statement: allow }, { locate: (pointer) => ({ pointer, line: 2, column: 1 }) });
    expect(ok.ok && ok.policy.locate('/Statement')).toEqual({ pointer: '/Statement', line: 2, column: 1 });
  });
});

describe('parsePolicyValue: values that are not JSON data', () => {
  it('turns a throwing getter into an error instead of an exception', () => {
    const hostile = {
      get Statement(): unknown {
        throw new Error('boom');
      },
    };
    const result = parsePolicyValue(hostile);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]!.message).toContain('boom');
  });
});
