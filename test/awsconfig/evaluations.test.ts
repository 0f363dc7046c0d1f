import { describe, expect, it } from 'vitest';
import { annotationOf, batches, evaluationOf, MAX_ANNOTATION, truncate } from '../../src/sinks/awsconfig/evaluations';
import { judge, optionsFrom } from '../config/helpers';

describe('annotations', () => {
  it('are at most 256 characters, cut on a character boundary with an ellipsis', () => {
    expect(truncate('x'.repeat(256))).toHaveLength(256);
    const cut = truncate('🔑'.repeat(300));
    expect(Array.from(cut)).toHaveLength(MAX_ANNOTATION);
    expect(cut.endsWith('…')).toBe(true);
    expect(truncate('  a\n  b  ')).toBe('a b');
    expect(truncate('')).toBe('-');
  });

  it('name the most important finding and how many more there are', () => {
    const report = judge('extra-notaction.json', optionsFrom('administrators: [AROAOTTER*]\n'));
    expect(annotationOf(report)).toBe(
      '[high] admin-allowlist: arn:aws:iam::111122223333:role/DevOps may administer the key but is not an allowed administrator (+2 more: wildcard-permissions, separation-of-duties)',
    );
  });

  it('say how to fix an unreadable policy: grant the rule role kms:GetKeyPolicy', () => {
    const report = judge('extra-unreadable-policy.json', optionsFrom(''));
    expect(annotationOf(report)).toBe(
      "Key policy could not be read (AccessDeniedException): grant this rule's Lambda role kms:GetKeyPolicy in the key policy, then re-evaluate.",
    );
  });

  it('give the compliance reason for compliant and exempted keys', () => {
    expect(annotationOf(judge('5-separation.json', optionsFrom('')))).toBe('no rule failed');
    const exempted = judge(
      '2-allowlisted.json',
      optionsFrom('exemptions:\n  - alias: Otter-*\n    reason: Otter team pipeline\n'),
    );
    expect(annotationOf(exempted)).toBe(
      'exempted by exemptions[0] (alias "Otter-*" matches alias/Otter-Payments): Otter team pipeline',
    );
  });

  it('an evaluation carries the key id, the type and the ordering timestamp given', () => {
    const at = new Date('2026-11-20T09:12:45.123Z');
    expect(evaluationOf(judge('4-no-separation.json', optionsFrom('')), at)).toEqual({
      ComplianceResourceType: 'AWS::KMS::Key',
      ComplianceResourceId: '5ce7a610-0000-4000-8000-000000000004',
      ComplianceType: 'NON_COMPLIANT',
      Annotation:
        '[medium] separation-of-duties: arn:aws:iam::111122223333:role/OpsAutomation both administers and uses the key',
      OrderingTimestamp: at,
    });
  });
});

describe('batches of PutEvaluations', () => {
  it('hold at most 100 evaluations each, in order', () => {
    const items = Array.from({ length: 250 }, (_, i) => i);
    const parts = batches(items);
    expect(parts.map((p) => p.length)).toEqual([100, 100, 50]);
    expect(parts.flat()).toEqual(items);
    expect(batches([])).toEqual([]);
    expect(batches(items.slice(0, 100)).map((p) => p.length)).toEqual([100]);
  });
});
