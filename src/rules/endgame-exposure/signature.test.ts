import { describe, expect, it } from 'vitest';
import type { AnalysedKey } from '../rule';
import { rule } from './rule';

/** The rule reads Sids, principals and condition values as their JSON text would show them. */
const flags = (sid: string, values: string[] = []): boolean => {
  const key = {
    policy: {
      statements: [
        {
          index: 0,
          pointer: '/Statement/0',
          sid,
          effect: 'Allow',
          principal: {
            anyone: false,
            aws: ['arn:aws:iam::111122223333:role/App'],
            service: [],
            federated: [],
            canonicalUser: [],
            pointer: '/Statement/0/Principal',
          },
          action: ['kms:Decrypt'],
          resource: ['*'],
          conditions:
            values.length === 0
              ? []
              : [
                  {
                    operator: 'StringEquals',
                    baseOperator: 'StringEquals',
                    ifExists: false,
                    key: 'aws:PrincipalTag/x',
                    values,
                    pointer: '/Statement/0/Condition/StringEquals/aws:PrincipalTag~1x',
                  },
                ],
        },
      ],
      document: { Version: '2012-10-17', Statement: [] },
      locate: (pointer: string) => ({ pointer }),
    },
    access: { principals: [] },
  } as unknown as AnalysedKey;
  return rule.check(key, { trusted: { accounts: [], organizations: [], orgPaths: [] }, params: {} }).length > 0;
};

describe('endgame-exposure signature', () => {
  it('finds the name in any case, in the Sid or a condition value', () => {
    expect(flags('EndGame backdoor')).toBe(true);
    expect(flags('x', ['ENDGAME'])).toBe(true);
    expect(flags('end game')).toBe(false);
    expect(flags('Enable IAM User Permissions')).toBe(false);
  });

  it('reads strings as JSON text: a \\u001e escape spells "\\u001endgame", a quote or newline breaks the name', () => {
    expect(JSON.stringify('\u001endgame')).toContain('endgame');
    expect(flags('\u001endgame')).toBe(true);
    expect(flags('x', ['\u001endgame'])).toBe(true);
    expect(flags('end"game')).toBe(false);
    expect(flags('end\ngame')).toBe(false);
    expect(flags('\ud800endgame')).toBe(true);
  });
});
