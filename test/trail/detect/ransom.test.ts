import { describe, expect, it } from 'vitest';
import { parseCloudTrailEvent } from '../../../src/trail/detect/event';
import { detectRansom, ransomActionOf } from '../../../src/trail/detect/ransom';
import { hasCorpus, pantherTests } from '../corpus';
import { fromTemplate, keyArn, roleIdentity, time } from '../helpers';

const A = '111122223333';
const step = (name: 'ScheduleKeyDeletion' | 'DisableKey', at: string, key: number, identity: object, extra = {}) =>
  fromTemplate(
    name === 'DisableKey' ? 'disable-key' : 'schedule-key-deletion',
    { eventTime: time(at), userIdentity: identity, ...extra },
    keyArn(A, key),
  );

const role = (session: string, roleName = 'ops') => roleIdentity(A, roleName, session);
const lockoutPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'kms:*', Resource: '*' },
  ],
});
const lockout = (at: string, key: number) =>
  fromTemplate('put-key-policy', { eventTime: time(at), userIdentity: role('s1') }, keyArn(A, key));
const withPolicy = (event: ReturnType<typeof lockout>, policy: string) => ({
  ...event,
  requestParameters: { ...event.requestParameters, policy },
});

describe('ransom pattern', () => {
  it.each([
    [
      '3 keys disabled or scheduled within 10 minutes',
      [
        step('DisableKey', '10:00:00', 1, role('s1')),
        step('ScheduleKeyDeletion', '10:04:00', 2, role('s1')),
        step('DisableKey', '10:09:59', 3, role('s1')),
      ],
      1,
    ],
    [
      '3 keys over 11 minutes',
      [
        step('DisableKey', '10:00:00', 1, role('s1')),
        step('DisableKey', '10:05:00', 2, role('s1')),
        step('DisableKey', '10:11:00', 3, role('s1')),
      ],
      0,
    ],
    [
      '2 keys only',
      [step('DisableKey', '10:00:00', 1, role('s1')), step('ScheduleKeyDeletion', '10:01:00', 2, role('s1'))],
      0,
    ],
    ['one key three times', [1, 1, 1].map((k, i) => step('DisableKey', `10:0${i}:00`, k, role('s1'))), 0],
    [
      'three sessions of one role count together',
      [
        step('DisableKey', '10:00:00', 1, role('s1')),
        step('DisableKey', '10:01:00', 2, role('s2')),
        step('DisableKey', '10:02:00', 3, role('s3')),
      ],
      1,
    ],
    [
      'three different roles do not',
      [
        step('DisableKey', '10:00:00', 1, role('s1', 'a')),
        step('DisableKey', '10:01:00', 2, role('s1', 'b')),
        step('DisableKey', '10:02:00', 3, role('s1', 'c')),
      ],
      0,
    ],
    [
      'failed calls do not count',
      [1, 2, 3].map((k) => step('DisableKey', `10:0${k}:00`, k, role('s1'), { errorCode: 'AccessDeniedException' })),
      0,
    ],
    [
      'lockout policies count',
      [
        withPolicy(lockout('10:00:00', 1), lockoutPolicy),
        withPolicy(lockout('10:01:00', 2), lockoutPolicy),
        step('DisableKey', '10:02:00', 3, role('s1')),
      ],
      1,
    ],
    [
      'ordinary policy changes do not',
      [lockout('10:00:00', 1), lockout('10:01:00', 2), step('DisableKey', '10:02:00', 3, role('s1'))],
      0,
    ],
    [
      'order of events does not matter',
      [
        step('DisableKey', '10:09:00', 3, role('s1')),
        step('DisableKey', '10:00:00', 1, role('s1')),
        step('DisableKey', '10:05:00', 2, role('s1')),
      ],
      1,
    ],
    [
      'two bursts an hour apart are two incidents',
      [1, 2, 3, 4, 5, 6].map((k) => step('DisableKey', `${k <= 3 ? '10' : '11'}:0${k}:00`, k, role('s1'))),
      2,
    ],
    [
      'a long run of overlapping windows is one incident',
      [1, 2, 3, 4, 5, 6, 7, 8].map((k) => step('DisableKey', `10:${String(k * 4).padStart(2, '0')}:00`, k, role('s1'))),
      1,
    ],
  ])('%s', (_name, events, incidents) => {
    expect(detectRansom(events)).toHaveLength(incidents);
  });

  it('reports the principal, the keys and each step', () => {
    const [incident] = detectRansom([
      step('DisableKey', '10:00:00', 1, role('s1')),
      step('ScheduleKeyDeletion', '10:01:00', 2, role('s2')),
      step('DisableKey', '10:02:00', 3, role('s1')),
    ]);
    expect(incident).toMatchObject({
      principal: `arn:aws:iam::${A}:role/ops`,
      keys: [keyArn(A, 1), keyArn(A, 2), keyArn(A, 3)],
      actions: { DisableKey: 2, ScheduleKeyDeletion: 1 },
      first: time('10:00:00'),
      last: time('10:02:00'),
    });
    expect(incident?.steps.map((s) => s.caller)).toContain(`arn:aws:sts::${A}:assumed-role/ops/s2`);
  });

  it('takes the threshold and the window as options', () => {
    const events = [1, 2].map((k) => step('DisableKey', `10:0${k * 3}:00`, k, role('s1')));
    expect(detectRansom(events, { threshold: 2 })).toHaveLength(1);
    expect(detectRansom(events, { threshold: 2, windowMinutes: 2 })).toHaveLength(0);
  });
});

describe.skipIf(!hasCorpus)('ransom actions on Panther labelled events (aws_kms_cmk_loss.yml)', () => {
  it.each(pantherTests('aws_kms_cmk_loss.yml').map((t) => [t.name, t.expected, t.log] as const))(
    '%s: counts = %s',
    (_name, expected, log) => {
      const parsed = parseCloudTrailEvent(log);
      if (!parsed.ok) throw new Error(parsed.reason);
      expect(ransomActionOf(parsed.event) !== undefined).toBe(expected);
    },
  );
});
