import { describe, expect, it } from 'vitest';
import { normalisePrincipal, parseCaller } from './caller';

describe('parseCaller', () => {
  it.each([
    ['*', { kind: 'anonymous' }],
    ['111122223333', { kind: 'account', account: '111122223333', arn: 'arn:aws:iam::111122223333:root' }],
    ['arn:aws:iam::111122223333:root', { kind: 'account', account: '111122223333', partition: 'aws' }],
    ['arn:aws-cn:iam::111122223333:root', { kind: 'account', account: '111122223333', partition: 'aws-cn' }],
    ['arn:aws:iam::111122223333:user/alice', { kind: 'user', account: '111122223333', name: 'alice' }],
    ['arn:aws:iam::111122223333:user/dev/team/alice', { kind: 'user', name: 'alice' }],
    [
      'arn:aws-us-gov:iam::111122223333:role/ops/Admin',
      { kind: 'role', name: 'Admin', roleName: 'Admin', partition: 'aws-us-gov' },
    ],
    [
      'arn:aws:sts::444455556666:assumed-role/Migrator/batch-01',
      {
        kind: 'session',
        account: '444455556666',
        roleArn: 'arn:aws:iam::444455556666:role/Migrator',
        roleName: 'Migrator',
        name: 'batch-01',
      },
    ],
    ['arn:aws-cn:sts::1:assumed-role/R/s', { kind: 'session', roleArn: 'arn:aws-cn:iam::1:role/R' }],
    ['cloudtrail.amazonaws.com', { kind: 'service', name: 'cloudtrail.amazonaws.com' }],
    ['logs.cn-north-1.amazonaws.com.cn', { kind: 'service' }],
    ['cognito-identity.amazonaws.com', { kind: 'federated' }],
    ['arn:aws:iam::111122223333:saml-provider/Okta', { kind: 'federated', name: 'Okta' }],
    ['arn:aws:sts::111122223333:federated-user/bob', { kind: 'other', account: '111122223333' }],
    ['79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be', { kind: 'other' }],
    ['{{AWS::AccountId}}', { kind: 'account', account: '{{AWS::AccountId}}' }],
    ['arn:aws:iam::{{AWS::AccountId}}:role/App', { kind: 'role', account: '{{AWS::AccountId}}', name: 'App' }],
    ['', { kind: 'other' }],
  ])('%j', (principal, expected) => {
    expect(parseCaller(principal)).toMatchObject(expected);
  });

  it('normalisePrincipal turns bare account ids into root ARNs and keeps everything else', () => {
    expect(normalisePrincipal('111122223333')).toBe('arn:aws:iam::111122223333:root');
    expect(normalisePrincipal('arn:aws:iam::111122223333:role/x')).toBe('arn:aws:iam::111122223333:role/x');
    expect(normalisePrincipal('*')).toBe('*');
    expect(normalisePrincipal('1111')).toBe('1111');
  });
});
