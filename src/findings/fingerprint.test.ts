import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint';

describe('fingerprint', () => {
  it('is the first 20 hex digits of SHA-256 over rule, resource, lower-cased principal, action class and Sid', () => {
    const parts = {
      rule: 'untrusted-account-access',
      resource: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      principal: 'arn:aws:iam::444455556666:ROOT',
      actionClass: 'use+read',
      sid: 'Partner ✓',
    };
    const text = [parts.rule, parts.resource, parts.principal.toLowerCase(), parts.actionClass, parts.sid].join('\n');
    expect(fingerprint(parts)).toBe(`KW-${createHash('sha256').update(text).digest('hex').slice(0, 20)}`);
    expect(fingerprint({ rule: 'key-state', resource: 'k' })).toBe(
      `KW-${createHash('sha256').update('key-state\nk\n\n\n').digest('hex').slice(0, 20)}`,
    );
  });
});
