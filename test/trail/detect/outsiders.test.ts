import { describe, expect, it } from 'vitest';
import type { CloudTrailEvent } from '../../../src/trail/detect/event';
import { outsidersInvestigation } from '../../../src/trail/detect/outsiders';
import { fromTemplate, keyArn, roleIdentity, time } from '../helpers';

const OWNER = '111122223333';
const OTHER = '444455556666';
const KEY = keyArn(OWNER, 7);

/** The key owner's copy of a cross-account call: CloudTrail records the caller as an AWSAccount. */
const ownerCopy = (at: string, extra: Record<string, unknown> = {}) =>
  fromTemplate(
    'decrypt',
    {
      eventTime: time(at),
      userIdentity: { type: 'AWSAccount', principalId: 'AROAPARTNER:job', accountId: OTHER },
      recipientAccountId: OWNER,
      sharedEventID: `shared-${at}`,
      ...extra,
    },
    KEY,
  );
/** The caller's copy of the same call, in the caller's trail. */
const callerCopy = (at: string) =>
  fromTemplate(
    'decrypt',
    {
      eventTime: time(at),
      userIdentity: roleIdentity(OTHER, 'partner', 'job'),
      recipientAccountId: OTHER,
      sharedEventID: `shared-${at}`,
    },
    KEY,
  );

const run = (events: CloudTrailEvent[], trustedAccounts: string[] = []) => {
  const investigation = outsidersInvestigation({ trustedAccounts });
  for (const event of events) investigation.add(event);
  return investigation.finish();
};

describe('outsider use', () => {
  it.each([
    ['an own-account Decrypt (the AWS example)', [fromTemplate('decrypt')], 0],
    ['the key owner copy of another account decrypting', [ownerCopy('10:00:00')], 1],
    ['both copies of one call are counted once', [ownerCopy('10:00:00'), callerCopy('10:00:00')], 1],
    [
      "your principal using someone else's key (in your own trail) is not an outsider",
      [
        fromTemplate(
          'decrypt',
          { recipientAccountId: OWNER, userIdentity: roleIdentity(OWNER, 'app', 's') },
          keyArn(OTHER, 1),
        ),
      ],
      0,
    ],
    [
      'a DescribeKey is not cryptographic use',
      [
        fromTemplate(
          'describe-key',
          { userIdentity: { type: 'AWSAccount', principalId: 'X', accountId: OTHER }, recipientAccountId: OWNER },
          KEY,
        ),
      ],
      0,
    ],
  ])('%s -> %s outside principal(s)', (_name, events, principals) => {
    const result = run(events);
    expect(result.accounts.flatMap((account) => account.principals)).toHaveLength(principals);
  });

  it('groups by account and principal, with keys, operations, IPs and times', () => {
    const result = run([
      ownerCopy('10:00:00'),
      ownerCopy('10:05:00'),
      ownerCopy('10:09:00', { eventName: 'GenerateDataKey' }),
    ]);
    expect(result.accounts).toEqual([expect.objectContaining({ account: OTHER, calls: 3, keys: [KEY] })]);
    expect(result.accounts[0]?.principals[0]).toMatchObject({
      principal: `${OTHER}:AROAPARTNER:job`,
      operations: [
        { value: 'Decrypt', count: 2 },
        { value: 'GenerateDataKey', count: 1 },
      ],
      first: time('10:00:00'),
      last: time('10:09:00'),
    });
    expect(result.flags).toHaveLength(1);
  });

  it('trusted accounts are not reported', () => {
    expect(run([ownerCopy('10:00:00')], [OTHER]).accounts).toEqual([]);
  });

  it('failed attempts are listed but not flagged', () => {
    const result = run([ownerCopy('10:00:00', { errorCode: 'AccessDeniedException' })]);
    expect(result.accounts[0]).toMatchObject({ calls: 0, failedCalls: 1 });
    expect(result.flags).toEqual([]);
  });
});
