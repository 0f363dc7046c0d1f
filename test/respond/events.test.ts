import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExposedKeyEvent } from '../../src/respond/plan/exposed-key-events';
import { FIXTURES, healthEvent, olderHealthEvent, readFixture, rehearsalEntry, trustedAdvisorEvent } from './fixtures';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const CORPUS = join(import.meta.dirname, '../../../shared/corpus/real');

const problemOf = (input: unknown): string => {
  const parsed = parseExposedKeyEvent(input);
  if (parsed.ok) throw new Error(`expected a bad event, got case ${parsed.case.caseId}`);
  return parsed.problem.reason;
};

describe('fixtures are the real shapes', () => {
  it.skipIf(!existsSync(CORPUS))('are still verbatim copies of the shared corpus', () => {
    const pairs: Array<[string, string]> = [
      ['events/trusted-advisor.json', 'aws__Trusted-Advisor-Tools/ExposedAccessKeys/README.md.ta-event-sample.json'],
      [
        'events/trusted-advisor-mock-putevents.json',
        'aws__Trusted-Advisor-Tools/ExposedAccessKeys/stepbystep/mockpayload.json',
      ],
      [
        'events/health-affected-entities.json',
        'aws__aws-health-tools/automated-actions/AWS_RISK_CREDENTIALS_EXPOSED/README.md.health-event-sample.json',
      ],
      [
        'events/health-event-metadata.json',
        'aws-samples__notify-and-remediate-exposed-access-key/README.md.health-event-sample.json',
      ],
      [
        'cloudtrail/stratus-create-admin-user.json',
        'DataDog__stratus-red-team/docs/detonation-logs/aws.persistence.iam-create-admin-user.json',
      ],
    ];
    for (const [mine, theirs] of pairs) {
      expect(readFileSync(join(FIXTURES, mine), 'utf8')).toBe(readFileSync(join(CORPUS, theirs), 'utf8'));
    }
  });
});

describe('Trusted Advisor "Exposed Access Keys"', () => {
  it('reads the README event once its placeholder key id is a real one', () => {
    const parsed = parseExposedKeyEvent(trustedAdvisorEvent({ accessKeyId: KEY }));
    expect(parsed).toEqual({
      ok: true,
      case: {
        caseId: `exposed-key/111222333444/${KEY}`,
        accessKeyId: KEY,
        account: '111222333444',
        userName: 'test-user',
        root: false,
        reportedBy: 'trusted-advisor',
        rehearsal: false,
        eventId: 'f2b7e2dd-20ce-4a2b-baa8-fe24ed0be19a',
        eventTime: '2017-06-10T03:16:34Z',
        region: 'us-east-1',
        exposedAt: 'www.github.com/some_user/some_repo/some_file',
        supportCaseId: '02648f3b-e18f-4019-8d68-ce25efe080ff',
        fraudType: 'Exposed',
        keyPointer: '/detail/check-item-detail/Access Key ID',
      },
    });
  });

  it('refuses the README placeholder key id, naming the field', () => {
    expect(problemOf(readFixture('events/trusted-advisor.json'))).toBe(
      'detail/check-item-detail/Access Key ID "ACCESS_KEY_ID_HERE" is not an access key id (AKIA followed by 16 upper-case letters or digits): put the exposed key\'s id there',
    );
  });

  it.each(['root', 'Root', '<root_account>'])('recognises a root key named "%s"', (name) => {
    const parsed = parseExposedKeyEvent(trustedAdvisorEvent({ accessKeyId: KEY, userName: name }));
    expect(parsed.ok && parsed.case.root).toBe(true);
    expect(parsed.ok && parsed.case.userName).toBeUndefined();
  });

  it('reads the sample mock PutEvents entry when it is sent with the keywarden.test source', () => {
    const parsed = parseExposedKeyEvent(rehearsalEntry({ accessKeyId: 'AKIAIX52WBZJNV4XNNAQ' }));
    expect(parsed.ok && parsed.case).toMatchObject({
      accessKeyId: 'AKIAIX52WBZJNV4XNNAQ',
      userName: 'delete-me',
      rehearsal: true,
      reportedBy: 'trusted-advisor',
      exposedAt: 'www.example.com',
      eventTime: '2018-11-22T11:38:24Z',
      caseId: 'exposed-key/unknown-account/AKIAIX52WBZJNV4XNNAQ',
    });
  });

  it("refuses the sample's own awsmock.trustedadvisor source", () => {
    expect(problemOf(readFixture('events/trusted-advisor-mock-putevents.json'))).toBe(
      'unknown event source "awsmock.trustedadvisor": keywarden responds to aws.trustedadvisor, aws.health, keywarden.test',
    );
  });
});

describe('AWS Health AWS_RISK_CREDENTIALS_EXPOSED', () => {
  it('reads the key, user, account and URL from eventMetadata (current shape)', () => {
    const parsed = parseExposedKeyEvent(healthEvent({ accessKeyId: KEY, account: '123456789012' }));
    expect(parsed.ok && parsed.case).toMatchObject({
      caseId: `exposed-key/123456789012/${KEY}`,
      userName: 'test-1',
      exposedAt: 'https://github.com/repository_name',
      reportedBy: 'health',
      eventTypeCode: 'AWS_RISK_CREDENTIALS_EXPOSED',
      healthEventArn:
        'arn:aws:health:us-east-1::event/RISK/AWS_RISK_CREDENTIALS_EXPOSED/AWS_RISK_CREDENTIALS_EXPOSED-DVNePcpQ2o',
      keyPointer: '/detail/eventMetadata/publicKey',
    });
  });

  it('reads the key from affectedEntities in the older shape, with no user', () => {
    const parsed = parseExposedKeyEvent(olderHealthEvent({ accessKeyId: KEY }));
    expect(parsed.ok && parsed.case).toMatchObject({
      accessKeyId: KEY,
      account: '123456789012',
      keyPointer: '/detail/affectedEntities/0/entityValue',
    });
    expect(parsed.ok && parsed.case.userName).toBeUndefined();
  });

  it('refuses the redacted key ids of both published samples', () => {
    expect(problemOf(readFixture('events/health-event-metadata.json'))).toContain(
      'detail/eventMetadata/publicKey "AKIAXXXXXXXXXX" is not an access key id',
    );
    expect(problemOf(readFixture('events/health-affected-entities.json'))).toContain(
      'detail/affectedEntities/0/entityValue "ACCESS_KEY_ID_HERE" is not an access key id',
    );
  });

  it('a Trusted Advisor and a Health event about the same key are one case', () => {
    const ta = parseExposedKeyEvent(trustedAdvisorEvent({ accessKeyId: KEY, account: '123456789012' }));
    const health = parseExposedKeyEvent(healthEvent({ accessKeyId: KEY, account: '123456789012' }));
    expect(ta.ok && health.ok && ta.case.caseId === health.case.caseId).toBe(true);
  });
});

describe('bad input: a clear error', () => {
  const withDetail = (change: (detail: Record<string, unknown>) => void) => {
    const event = trustedAdvisorEvent({ accessKeyId: KEY });
    change(event.detail as Record<string, unknown>);
    return event;
  };

  it('an event missing the key id', () => {
    const event = withDetail((d) => {
      delete (d['check-item-detail'] as Record<string, unknown>)['Access Key ID'];
    });
    expect(problemOf(event)).toBe(
      'detail/check-item-detail/Access Key ID is missing: the event does not say which access key was exposed',
    );
    const health = healthEvent({ accessKeyId: KEY });
    delete ((health.detail as Record<string, unknown>).eventMetadata as Record<string, unknown>).publicKey;
    (health.detail as Record<string, unknown>).affectedEntities = [];
    expect(problemOf(health)).toContain('is missing');
  });

  it('a malformed detail names the field', () => {
    expect(problemOf(withDetail((d) => delete d['check-item-detail']))).toMatch(
      /^malformed Trusted Advisor detail: detail\/check-item-detail: /,
    );
    expect(problemOf({ ...trustedAdvisorEvent({ accessKeyId: KEY }), detail: 'oops' })).toMatch(
      /^malformed Trusted Advisor detail: /,
    );
    const health = healthEvent({ accessKeyId: KEY });
    (health.detail as Record<string, unknown>).affectedEntities = 'AKIA';
    expect(problemOf(health)).toMatch(/^malformed AWS Health detail: detail\/affectedEntities: /);
  });

  it('an unknown check name, an OK status, an unknown Health event type', () => {
    expect(problemOf(withDetail((d) => (d['check-name'] = 'IAM Use')))).toBe(
      'unknown check name "IAM Use": keywarden responds to the "Exposed Access Keys" check only',
    );
    expect(problemOf(withDetail((d) => (d.status = 'OK')))).toContain('check status is OK, not ERROR');
    const health = healthEvent({ accessKeyId: KEY });
    (health.detail as Record<string, unknown>).eventTypeCode = 'AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED';
    expect(problemOf(health)).toContain('unknown AWS Health event type "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED"');
  });

  it('a temporary key, several keys in one event, a list of events, something that is no event', () => {
    expect(problemOf(trustedAdvisorEvent({ accessKeyId: 'ASIAIOSFODNN7EXAMPLE' }))).toContain(
      'is a temporary (ASIA) key',
    );
    const several = olderHealthEvent({ accessKeyId: KEY });
    (several.detail as Record<string, unknown>).affectedEntities = [
      { entityValue: KEY },
      { entityValue: 'AKIAI44QH8DHBEXAMPLE' },
    ];
    expect(problemOf(several)).toContain('names 2 access keys (AKIAIOSFODNN7EXAMPLE, AKIAI44QH8DHBEXAMPLE)');
    expect(problemOf([trustedAdvisorEvent({ accessKeyId: KEY }), trustedAdvisorEvent({ accessKeyId: KEY })])).toBe(
      'the file holds 2 events: give one event per response',
    );
    expect(problemOf({ hello: 'world' })).toMatch(/^not an EventBridge event \(/);
    expect(problemOf(null)).toMatch(/^not an EventBridge event/);
    expect(problemOf('text')).toMatch(/^not an EventBridge event/);
  });

  it('keeps what it could read for the notice', () => {
    const parsed = parseExposedKeyEvent(withDetail((d) => (d['check-name'] = 'IAM Use')));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problem).toMatchObject({
        source: 'aws.trustedadvisor',
        detailType: 'Trusted Advisor Check Item Refresh Notification',
        eventId: 'f2b7e2dd-20ce-4a2b-baa8-fe24ed0be19a',
        account: '111222333444',
      });
    }
  });
});
