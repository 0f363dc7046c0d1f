import { describe, expect, it } from 'vitest';
import { arnLike, parseArn } from './arn';

describe('ARNs', () => {
  it.each([
    ['arn:aws:kms:us-east-1:111122223333:key/abc', ['aws', 'kms', 'us-east-1', '111122223333', 'key/abc']],
    ['arn:aws-cn:iam::111122223333:root', ['aws-cn', 'iam', '', '111122223333', 'root']],
    ['arn:aws-us-gov:iam::111122223333:role/a/b', ['aws-us-gov', 'iam', '', '111122223333', 'role/a/b']],
    ['arn:aws:logs:us-east-1:1:log-group:x:*', ['aws', 'logs', 'us-east-1', '1', 'log-group:x:*']],
    ['arn:aws:iam::{{AWS::AccountId}}:root', ['aws', 'iam', '', '{{AWS::AccountId}}', 'root']],
    ['arn:aws:iam::{{Ref:A:B}}:role/{{GetAtt:R.Arn}}', ['aws', 'iam', '', '{{Ref:A:B}}', 'role/{{GetAtt:R.Arn}}']],
  ])('parseArn(%j)', (arn, [partition, service, region, account, resource]) => {
    expect(parseArn(arn)).toEqual({ partition, service, region, account, resource });
  });

  it.each(['', '*', 'arn:aws:iam', 'arn:aws:iam::123', 'ARN:aws:iam::1:root', 'cloudtrail.amazonaws.com'])(
    'parseArn(%j) is undefined',
    (value) => {
      expect(parseArn(value)).toBeUndefined();
    },
  );

  it('matches segment by segment', () => {
    expect(arnLike('arn:aws:kms:*:111122223333:key/*', 'arn:aws:kms:eu-west-1:111122223333:key/k')).toBe(true);
    expect(arnLike('arn:aws:kms:*:111122223333:key/*', 'arn:aws:kms:eu-west-1:444455556666:key/k')).toBe(false);
    expect(arnLike('arn:aws:kms:*', 'arn:aws:kms:eu-west-1:1:key/k')).toBe(false);
    expect(arnLike('arn:*:*:*:*:*', 'arn:aws:kms:eu-west-1:1:key/k')).toBe(true);
  });
});
