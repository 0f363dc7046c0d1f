import { describe, expect, it } from 'vitest';
import { parseCloudTrailEvent } from '../../../src/trail/detect/event';
import {
  bypassesLockoutCheck,
  endgameSignatures,
  locksOutOwnAccount,
} from '../../../src/trail/detect/key-policy-signals';
import { ATTACK_TOOL_USER_AGENTS, matchAttackTool } from '../../../src/trail/detect/user-agents';
import { hasCorpus, pantherTest, stratusRecords } from '../corpus';
import { fromTemplate, template } from '../helpers';

const KEY = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const put = (policy: unknown, extra: Record<string, unknown> = {}) => {
  const base = template('put-key-policy');
  return fromTemplate('put-key-policy', {
    requestParameters: {
      ...(base.requestParameters as object),
      policy: typeof policy === 'string' ? policy : JSON.stringify(policy),
      ...extra,
    },
  });
};
const statement = (effect: string, principal: unknown, action: unknown, more: Record<string, unknown> = {}) => ({
  Effect: effect,
  Principal: principal,
  Action: action,
  Resource: '*',
  ...more,
});

describe('attack-tool user agents', () => {
  it.each([
    ['HotDogsAreSandwiches', 'Endgame'],
    ['stratus-red-team_f3f19dcd-8552-47ca-a01e-0e1f5578d15e', 'Stratus Red Team'],
    ['TruffleHog', 'TruffleHog'],
    ['trufflehog/3.63.2', 'TruffleHog'],
    ['S3 Browser 11.5.7 https://s3browser.com', 'S3 Browser'],
    ['aws-cli/2.13.0 Python/3.11.4 Linux/6.3.0-kali1-amd64 exe/x86_64.kali.2023 prompt/off', 'Kali Linux'],
    ['Boto3/1.7.62 Python/3.7.0 Windows/10 Botocore/1.10.62', 'Pacu'],
  ])('%s is %s', (userAgent, tool) => {
    expect(matchAttackTool(userAgent)?.tool).toBe(tool);
  });

  it.each([
    'AWS Internal',
    'signin.amazonaws.com',
    'console.amazonaws.com',
    'aws-cli/2.15.59 md/awscrt#0.19.19 ua/2.0 os/macos#22.6.0 md/arch#arm64 lang/python#3.11.11 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#sts.get-caller-identity',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36',
    'Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#5.10.215 Botocore/1.34.84',
  ])('%s is no attack tool', (userAgent) => {
    expect(matchAttackTool(userAgent)).toBeUndefined();
  });

  it('every entry names its sources', () => {
    for (const entry of ATTACK_TOOL_USER_AGENTS) expect(entry.sources.length).toBeGreaterThan(0);
  });

  it.skipIf(!hasCorpus)('recognises every Stratus Red Team detonation record', () => {
    for (const record of stratusRecords()) {
      const parsed = parseCloudTrailEvent(record);
      expect(parsed.ok && matchAttackTool(parsed.event.userAgent)?.tool).toBe('Stratus Red Team');
    }
  });
});

describe('key policy signals', () => {
  it('BypassPolicyLockoutSafetyCheck true is marked, false (the AWS example) is not', () => {
    expect(bypassesLockoutCheck(fromTemplate('put-key-policy'))).toBe(false);
    expect(bypassesLockoutCheck(put({ Statement: [] }, { bypassPolicyLockoutSafetyCheck: true }))).toBe(true);
  });

  it('recognises Endgame by its statement Sid and its user agent', () => {
    const policy = {
      Statement: [{ Sid: 'Endgame', ...statement('Allow', { AWS: 'arn:aws:iam::999988887777:user/evil' }, 'kms:*') }],
    };
    expect(endgameSignatures(put(policy))).toEqual(['statement Sid "Endgame"']);
    expect(endgameSignatures(fromTemplate('put-key-policy', { userAgent: 'HotDogsAreSandwiches' }))).toEqual([
      'user agent "HotDogsAreSandwiches"',
    ]);
    expect(endgameSignatures(fromTemplate('put-key-policy'))).toEqual([]);
  });

  it.each([
    ['the default key policy (root kms:*)', null, false],
    [
      'only another account may manage the key',
      { Statement: [statement('Allow', { AWS: 'arn:aws:iam::999988887777:root' }, 'kms:*')] },
      true,
    ],
    [
      'an admin role of the account keeps kms:Put*',
      {
        Statement: [
          statement('Allow', { AWS: 'arn:aws:iam::111122223333:role/KeyAdmin' }, ['kms:Put*', 'kms:Describe*']),
        ],
      },
      false,
    ],
    [
      'a bare account id principal',
      { Statement: [statement('Allow', { AWS: '111122223333' }, 'kms:PutKeyPolicy')] },
      false,
    ],
    [
      'an unconditional Deny of PutKeyPolicy to everyone',
      {
        Statement: [
          statement('Allow', { AWS: 'arn:aws:iam::111122223333:root' }, 'kms:*'),
          statement('Deny', '*', 'kms:PutKeyPolicy'),
        ],
      },
      true,
    ],
    [
      'a conditional Deny is not a lockout',
      {
        Statement: [
          statement('Allow', { AWS: 'arn:aws:iam::111122223333:root' }, 'kms:*'),
          statement('Deny', '*', 'kms:PutKeyPolicy', {
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
          }),
        ],
      },
      false,
    ],
    [
      'NotAction that leaves PutKeyPolicy allowed',
      {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:root' },
            NotAction: 'kms:ScheduleKeyDeletion',
            Resource: '*',
          },
        ],
      },
      false,
    ],
    [
      'use-only statements',
      { Statement: [statement('Allow', { AWS: 'arn:aws:iam::111122223333:root' }, ['kms:Decrypt', 'kms:Encrypt'])] },
      true,
    ],
    ['a policy that is not JSON cannot be judged (false)', '{"Statement": [', false],
  ])('lockout: %s -> %s', (_name, policy, expected) => {
    const event = policy === null ? fromTemplate('put-key-policy') : put(policy);
    expect(event.resources?.[0]?.ARN).toBe(KEY);
    expect(locksOutOwnAccount(event)).toBe(expected);
  });

  it.skipIf(!hasCorpus)('reads a policy written as an object (Panther "Wildcard Principal No Conditions")', () => {
    const parsed = parseCloudTrailEvent(
      pantherTest('aws_resource_made_public.yml', 'Wildcard Principal No Conditions (Should Alert)').log,
    );
    expect(parsed.ok).toBe(true);
  });
});
