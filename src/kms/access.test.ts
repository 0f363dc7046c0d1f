import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountOf } from './access';

/** The definition accountOf keeps (it now reads the ARN without a regular expression). */
const byRegex = (entry: string): string | undefined =>
  /^\d{12}$/.test(entry) ? entry : /^arn:([\w-]+):(iam|sts)::([^:]+):(.+)$/.exec(entry)?.[3];

describe('accountOf', () => {
  it('reads the account of account ids and IAM/STS ARNs exactly as the ARN pattern does', () => {
    const piece = fc.constantFrom(
      'arn',
      'aws',
      'aws-cn',
      'aws_x',
      'a b',
      '',
      'iam',
      'sts',
      'IAM',
      's3',
      'iamx',
      '111122223333',
      '*',
      '{{AWS::AccountId}}',
      'role/App',
      'root',
      'x:y',
      'a\nb',
      '\u2028',
      ':',
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 7 }), fc.boolean(), (pieces, prefix) => {
        const entry = `${prefix ? 'arn:' : ''}${pieces.join(':')}`;
        expect(accountOf(entry)).toBe(byRegex(entry));
      }),
      { numRuns: 20_000 },
    );
    for (const entry of [
      '111122223333',
      '11112222333',
      '1111222233334',
      'arn:aws:iam::111122223333:root',
      'arn:aws-us-gov:sts::111122223333:assumed-role/Admin/s1',
      'arn:aws:iam::111122223333:',
      'arn:aws:iam:::root',
      'arn::iam::111122223333:root',
      'arn:aws:iam::111122223333:role/x\n',
      'arn:aws:iam:eu-west-1:111122223333:role/x',
    ])
      expect(accountOf(entry)).toBe(byRegex(entry));
  });
});
