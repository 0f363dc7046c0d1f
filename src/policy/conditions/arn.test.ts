// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are literal ${...} text
import { describe, expect, it } from 'vitest';
import { type OperatorRow, runRow } from '../../../test/policy/helpers';

const role = 'arn:aws:iam::111122223333:role/Admin';
const rows: OperatorRow[] = [
  ['ArnEquals', [role], role, true],
  ['ArnEquals', ['arn:aws:iam::111122223333:role/*'], role, true], // ArnEquals behaves like ArnLike
  ['ArnLike', ['arn:aws:iam::111122223333:role/*'], role, true],
  ['ArnLike', ['arn:aws:iam::*:role/Admin'], role, true],
  ['ArnLike', ['arn:aws:iam::111122223333:role/admin'], role, false], // case-sensitive
  ['ArnLike', ['arn:aws:iam::*'], role, false], // a wildcard does not cross the first colons
  ['ArnLike', ['arn:*:iam::111122223333:*'], role, true],
  ['ArnLike', ['arn:aws:iam::11112222333?:role/Admin'], role, true],
  [
    'ArnLike',
    ['arn:aws:logs:us-east-1:111122223333:log-group:*'],
    'arn:aws:logs:us-east-1:111122223333:log-group:app:*',
    true,
  ],
  ['ArnLike', ['arn:aws-cn:iam::111122223333:role/*'], role, false],
  ['ArnLike', ['*'], role, false], // not ARN-shaped: never matches
  ['ArnLike', [role], 'not-an-arn', false],
  ['ArnLike', [role], undefined, false],
  ['ArnNotLike', ['arn:aws:iam::111122223333:role/*'], 'arn:aws:iam::444455556666:role/x', true],
  ['ArnNotLike', ['arn:aws:iam::111122223333:role/*'], role, false],
  ['ArnNotLike', [role], 'not-an-arn', false], // not comparable
  ['ArnNotLike', [role], undefined, true],
  ['ArnNotEquals', ['arn:aws:iam::111122223333:role/BreakGlass'], role, true],
  ['ArnNotEquals', [role], role, false],
  ['ArnLikeIfExists', [role], undefined, true],
  ['ArnLike', ['arn:aws:iam::{{AWS::AccountId}}:role/*'], 'arn:aws:iam::{{AWS::AccountId}}:role/App', true],
  ['ArnLike', ['arn:aws:iam::{{AWS::AccountId}}:role/*'], role, false], // a placeholder equals only itself
];

describe('Arn operators', () => {
  it.each(rows)('%s %j vs %j -> %s', (...row) => {
    expect(runRow(row)).toBe(row[3]);
  });

  it('substitutes variables in ARN values', () => {
    const vars = { 'aws:PrincipalAccount': '111122223333' };
    expect(runRow(['ArnLike', ['arn:aws:iam::${aws:PrincipalAccount}:role/*'], role, true], vars)).toBe(true);
    expect(runRow(['ArnLike', ['arn:aws:iam::${aws:PrincipalAccount}:role/*'], role, false], {})).toBe(false);
  });
});
