import { describe, expect, it } from 'vitest';
import { accessKeyInvestigation, isAccessKeyId } from '../../../src/trail/detect/access-key';
import { mintedCredential } from '../../../src/trail/detect/credentials';
import { type CloudTrailEvent, parseCloudTrailEvent } from '../../../src/trail/detect/event';
import { hasCorpus, pantherTests, stratusRecords } from '../corpus';
import { event, fromTemplate, template, time } from '../helpers';

const run = (subject: string, events: CloudTrailEvent[]) => {
  const investigation = accessKeyInvestigation(subject);
  for (const e of events) investigation.add(e);
  return investigation.finish();
};

const LEAKED = 'AKIAIOSFODNN7EXAMPLE';
const assume = fromTemplate('assume-role');
const minted = 'ASIAIOSFODNN7EXAMPLE';
const asRole = (at: string, name: string, region = 'us-east-1') =>
  fromTemplate('describe-key', {
    eventTime: time(at),
    eventName: name,
    awsRegion: region,
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/Role1/Session1',
      accountId: '111122223333',
      accessKeyId: minted,
    },
  });

describe('temporary credentials', () => {
  it('reads the minted access key id of an AssumeRole, never the session token', () => {
    const credential = mintedCredential(assume);
    expect(credential).toMatchObject({
      accessKeyId: minted,
      mintedBy: LEAKED,
      roleArn: 'arn:aws:iam::111122223333:role/Role1',
      actsAs: 'arn:aws:sts::111122223333:assumed-role/Role1/Session1',
    });
    expect(JSON.stringify(credential)).not.toContain('CANARY');
  });

  it('a failed AssumeRole mints nothing', () => {
    expect(mintedCredential({ ...assume, errorCode: 'AccessDenied' })).toBeUndefined();
  });
});

describe('access key activity', () => {
  it.each([
    ['AKIAIOSFODNN7EXAMPLE', true],
    ['ASIAIOSFODNN7EXAMPLE', true],
    ['exposed.user', false],
    ['AKIA', false],
  ])('%s is an access key id: %s', (value, expected) => {
    expect(isAccessKeyId(value)).toBe(expected);
  });

  it('follows the credentials the key minted, whatever order the events come in', () => {
    const result = run(LEAKED, [
      asRole('10:20:00', 'RunInstances', 'ap-south-1'),
      assume,
      asRole('10:16:00', 'CreateUser'),
      asRole('10:30:00', 'DescribeKey'),
    ]);
    // The role's calls before the AssumeRole event was read are picked up by the next round (see run.ts).
    expect(result.accessKeyIds).toEqual([LEAKED, minted]);
    expect(result.minted).toHaveLength(1);
  });

  it('summarises and flags suspicious calls, including a region the key had not used before', () => {
    const result = run(LEAKED, [
      assume,
      asRole('10:15:00', 'DescribeKey', 'us-east-1'),
      asRole('10:16:00', 'CreateUser'),
      asRole('10:20:00', 'RunInstances', 'ap-south-1'),
      asRole('10:21:00', 'RunInstances', 'us-east-1'),
    ]);
    expect(result.events).toBe(5);
    expect(result.firstSeen).toBe('2024-06-01T10:14:00Z');
    expect(result.regions).toEqual([
      { value: 'us-east-1', count: 4 },
      { value: 'ap-south-1', count: 1 },
    ]);
    expect(result.suspicious.map((call) => [call.eventName, call.region])).toEqual([
      ['AssumeRole', 'us-east-1'],
      ['CreateUser', 'us-east-1'],
      ['RunInstances', 'ap-south-1'],
    ]);
    expect(result.flags.length).toBe(3);
    expect(JSON.stringify(result)).not.toContain('CANARY');
  });

  it('a user subject covers all its keys', () => {
    const alice = fromTemplate('decrypt');
    const result = run('Alice', [alice, fromTemplate('describe-key')]);
    expect(result).toMatchObject({
      subjectKind: 'user',
      events: 2,
      accessKeyIds: ['EXAMPLE_KEY_ID'].filter(isAccessKeyId),
    });
  });

  it.skipIf(!hasCorpus)('the Stratus backdoor key: a key created for another user, by an attack tool', () => {
    const records = stratusRecords().map((record) => event(record));
    const caller = records[0]?.userIdentity?.accessKeyId as string;
    const result = run(caller, records);
    expect(result.suspicious.map((call) => call.eventName)).toContain('CreateAccessKey');
    expect(result.attackTools.map((tool) => tool.tool)).toEqual(['Stratus Red Team']);
  });

  it.skipIf(!hasCorpus)(
    "Panther's exposed.user: the failed and the successful call of its key, not the console session",
    () => {
      const events = pantherTests('aws_cloudtrail_useraccesskeyauth.yml').map((test) => {
        const parsed = parseCloudTrailEvent(test.log);
        if (!parsed.ok) throw new Error(parsed.reason);
        return parsed.event;
      });
      const result = run('AKIASXP6SDP2F3JQERZ2', events);
      expect(result).toMatchObject({ events: 2, failedEvents: 1, errorCodes: [{ value: 'AccessDenied', count: 1 }] });
      expect(result.flags).toEqual([]);
    },
  );

  it('never copies the session token from an AssumeRole template', () => {
    expect(
      (template('assume-role').responseElements as { credentials: { sessionToken: string } }).credentials.sessionToken,
    ).toContain('CANARY');
  });
});
