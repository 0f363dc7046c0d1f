import { describe, expect, it } from 'vitest';
import { parsePolicyText } from './text';

const text = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Root",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "kms:*",
      "Resource": "*",
      "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}
    }
  ]
}`;

describe('parsePolicyText', () => {
  it('parses and locates elements lazily', () => {
    const result = parsePolicyText(text);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.policy.locate('/Statement/0')).toEqual({ pointer: '/Statement/0', line: 4, column: 5 });
    expect(result.policy.locate('/Statement/0/Effect')).toEqual({ pointer: '/Statement/0/Effect', line: 6, column: 7 });
    expect(result.policy.locate('/Statement/0/Condition/StringEquals/aws:SourceAccount')).toMatchObject({
      line: 10,
      column: 38,
    });
    expect(result.policy.locate('')).toMatchObject({ line: 1, column: 1 });
    expect(result.policy.locate('/Statement/0/Nope')).toMatchObject({ line: 4, column: 5 }); // deepest existing node
  });

  it('gives validation errors their line and column', () => {
    const result = parsePolicyText(text.replace('"Allow"', '"Permit"'));
    expect(!result.ok && result.errors).toEqual([
      expect.objectContaining({ pointer: '/Statement/0/Effect', line: 6, column: 7 }),
    ]);
  });

  it('handles a byte order mark', () => {
    const result = parsePolicyText(`\uFEFF${text}`);
    expect(result.ok && result.policy.locate('/Statement/0/Effect')).toMatchObject({ line: 6, column: 7 });
  });

  it.each([
    ['{"Statement": [}', 1, 16, "expected a value, found '}'"],
    ['{\n  "Statement": [1,]\n}', 2, 19, 'trailing comma'],
    ['{\n  "a": 1,\n}', 3, 1, 'trailing comma'],
    ["{'a': 1}", 1, 2, 'double quotes'],
    ['{"a" 1}', 1, 6, "expected ':'"],
    ['{"a": 1} x', 1, 10, 'after the end'],
    ['{"a": "x', 1, 7, 'not closed'],
    ['{"a": 1 // c\n}', 1, 9, 'comments'],
    ['', 1, 1, 'ends before'],
    ['{"a": [1, 2', 1, 12, 'ends before'],
    ['{"a": tru}', 1, 7, 'expected a value'],
  ])('malformed JSON %j -> one error at %i:%i', (input, line, column, phrase) => {
    const result = parsePolicyText(input);
    if (result.ok) throw new Error('accepted');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ pointer: '', line, column });
    expect(result.errors[0]!.message).toContain(phrase);
  });

  it('never throws on deep nesting or huge input', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    expect(parsePolicyText(deep).ok).toBe(false);
    const deepBroken = `${'['.repeat(10_000)}`;
    expect(parsePolicyText(deepBroken)).toMatchObject({ ok: false });
    const deepObject = `{"Statement": ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    const r = parsePolicyText(deepObject);
    expect(r.ok).toBe(false);
    const huge = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: 'x'.repeat(10_000_000) }],
    });
    expect(parsePolicyText(huge).ok).toBe(true);
  });

  it('rejects non-text input without throwing', () => {
    expect(parsePolicyText(undefined as unknown as string).ok).toBe(false);
  });
});
