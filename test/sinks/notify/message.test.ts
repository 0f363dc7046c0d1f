import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/findings/types';
import type { CloudTrailRecordLike } from '../../../src/sinks/notify/change';
import { changeFromCloudTrail } from '../../../src/sinks/notify/change';
import { consoleUrlForKey } from '../../../src/sinks/notify/console-link';
import { buildNotification, buildSubject, keyRefOf, SUBJECT_MAX } from '../../../src/sinks/notify/message';
import { escapeHtml } from '../../../src/sinks/notify/render';
import { loadReports, readFixture } from '../fixtures/load';

const reports = loadReports();
const publicReport = reports.find((r) => r.access.reach === 'public')!;
const sharedReport = reports.find((r) => r.access.reach === 'cross-account')!;
const aliceEvent = readFixture<CloudTrailRecordLike>('cloudtrail-put-key-policy.json');
const ssoEvent = readFixture<CloudTrailRecordLike>('cloudtrail-put-key-policy-assumed-role.json');

describe('who changed it, from CloudTrail', () => {
  it('reads the IAM user record AWS publishes for PutKeyPolicy', () => {
    expect(changeFromCloudTrail(aliceEvent)).toEqual({
      principalArn: 'arn:aws:iam::111122223333:user/Alice',
      identityType: 'IAMUser',
      sourceIp: '192.0.2.0',
      userAgent: 'AWS Internal',
      eventTime: '2022-09-01T20:06:16Z',
      eventName: 'PutKeyPolicy',
      eventId: 'c217db1f-903f-4a2f-8f88-9580182d6313',
    });
  });

  it('reads the session issuer of an assumed-role session', () => {
    const change = changeFromCloudTrail(ssoEvent);
    expect(change.principalArn).toBe(
      'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_ExampleRole_xxxxxxxxxxxxxxxx/example.user',
    );
    expect(change.sessionIssuerArn).toBe(
      'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ExampleRole_xxxxxxxxxxxxxxxx',
    );
    expect(change.userAgent).toMatch(/^Mozilla\/5.0/);
    expect(change.sourceIp).toBe('10.0.0.1');
  });

  it('ignores fields of the wrong type instead of failing', () => {
    expect(changeFromCloudTrail({ userIdentity: { arn: 42 }, sourceIPAddress: null, eventName: '' })).toEqual({});
  });
});

describe('console link', () => {
  it('points at the key page of the regional console', () => {
    expect(consoleUrlForKey('arn:aws:kms:eu-west-1:111122223333:key/mrk-0a1b2c3d4e5f60718293a4b5c6d7e8f9')).toBe(
      'https://eu-west-1.console.aws.amazon.com/kms/home?region=eu-west-1#/kms/keys/mrk-0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    );
  });

  it('uses the China and GovCloud consoles for their partitions', () => {
    expect(consoleUrlForKey('arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab')).toBe(
      'https://console.amazonaws.cn/kms/home?region=cn-north-1#/kms/keys/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
    expect(
      consoleUrlForKey('arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
    ).toBe(
      'https://console.amazonaws-us-gov.com/kms/home?region=us-gov-west-1#/kms/keys/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
  });

  it('gives no link for what is not a key ARN', () => {
    expect(consoleUrlForKey('arn:aws:kms:us-east-1:111122223333:alias/reports')).toBeUndefined();
    expect(consoleUrlForKey('SharedKey')).toBeUndefined();
    expect(consoleUrlForKey('arn:aws:kms:us-east-1:111122223333:key/x"><script>')).toBeUndefined();
  });
});

describe('notification message', () => {
  const message = buildNotification({
    findings: publicReport.findings,
    key: keyRefOf(publicReport.key),
    change: changeFromCloudTrail(aliceEvent),
  });

  it('has an e-mail friendly subject naming the worst finding and the key', () => {
    expect(message.subject).toBe(
      '[keywarden] CRITICAL public-key (+2 more) on alias/reports-public in 111122223333/us-east-1',
    );
    expect(message.subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(message.severity).toBe('critical');
  });

  it('keeps every subject on one line and under 100 characters, whatever the input', () => {
    const hostile = {
      arn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      aliases: [`alias/${'very-long-name-'.repeat(20)}\r\nBcc: victim@example.com`],
    };
    const subject = buildSubject(publicReport.findings, [], hostile);
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(subject).not.toMatch(/[\r\n\t]/);
    expect(subject.endsWith('...')).toBe(true);
    const multiByte = buildSubject(publicReport.findings, [], {
      arn: hostile.arn,
      aliases: [`alias/${'ключ'.repeat(40)}`],
    });
    expect([...multiByte].length).toBeLessThanOrEqual(SUBJECT_MAX);
  });

  it('names resolved findings when nothing is new', () => {
    const resolvedOnly = buildNotification({
      findings: [],
      resolved: sharedReport.findings,
      key: keyRefOf(sharedReport.key),
    });
    expect(resolvedOnly.subject).toBe(
      '[keywarden] resolved external-grant (+1 more) on alias/shared-logs in 111122223333/eu-west-1',
    );
    expect(resolvedOnly.severity).toBe('info');
    expect(resolvedOnly.text).toContain('2 resolved findings');
    expect(resolvedOnly.payload.resolved.map((f) => f.rule)).toEqual(['external-grant', 'untrusted-account-access']);
  });

  it('tells in plain text the key, the console link, who changed it, and each finding with evidence and fix', () => {
    const { text } = message;
    expect(text).toContain('keywarden: 3 new findings on KMS key alias/reports-public.');
    expect(text).toContain(
      'Console: https://us-east-1.console.aws.amazon.com/kms/home?region=us-east-1#/kms/keys/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
    expect(text).toContain('Changed by:       arn:aws:iam::111122223333:user/Alice');
    expect(text).toContain('Call:             PutKeyPolicy');
    expect(text).toContain('When:             2022-09-01T20:06:16Z');
    expect(text).toContain('Source IP:        192.0.2.0');
    expect(text).toContain('User agent:       AWS Internal');
    expect(text).toContain('[CRITICAL] public-key: Anyone on the internet can decrypt with this key');
    expect(text).toContain(
      'Evidence:   Sid "AllowEveryone" at /Statement/1 in examples/demo-account/reports-public.json:14:7',
    );
    expect(text).toContain('Example:    arn:aws:iam::999988887777:user/outsider can call kms:Decrypt');
    expect(text).toContain('Fix:        Remove statement "AllowEveryone"');
    expect(text).toContain('Finding id: kw1-0a4f3e2d1c9b8a77');
    expect(text).toContain('Corrected policy:');
    expect(text).toContain('(suppressed: Break-glass role, reviewed quarterly)');
    // worst first
    expect(text.indexOf('[CRITICAL]')).toBeLessThan(text.indexOf('[MEDIUM] rotation-disabled'));
  });

  it('escapes every value in the HTML body', () => {
    const nasty: Finding = {
      ...publicReport.findings[0]!,
      title: '<script>alert("x")</script>',
      explanation: 'Tom & Jerry\'s "key" <b>',
    };
    const html = buildNotification({
      findings: [nasty],
      key: { arn: publicReport.key.arn, aliases: ['alias/<img src=x onerror=alert(1)>'] },
      change: { principalArn: 'arn:aws:iam::111122223333:user/Alice', userAgent: '<svg onload=alert(1)>' },
    }).html;
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<svg');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('Tom &amp; Jerry&#39;s &quot;key&quot; &lt;b&gt;');
    expect(html).toContain('&lt;svg onload=alert(1)&gt;');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('links the console in HTML and carries the same facts as the text', () => {
    const { html } = message;
    expect(html).toContain(
      '<a href="https://us-east-1.console.aws.amazon.com/kms/home?region=us-east-1#/kms/keys/1234abcd-12ab-34cd-56ef-1234567890ab">',
    );
    expect(html).toContain('arn:aws:iam::111122223333:user/Alice');
    expect(html).toContain('kw1-0a4f3e2d1c9b8a77');
    expect(html).toMatch(/^<!DOCTYPE html>/);
  });

  it('builds a JSON payload with the key, who changed it and the findings', () => {
    const payload = JSON.parse(JSON.stringify(message.payload));
    expect(payload).toMatchObject({
      format: 'keywarden.notification/v1',
      subject: message.subject,
      severity: 'critical',
      key: {
        arn: publicReport.key.arn,
        account: '111122223333',
        region: 'us-east-1',
        aliases: ['alias/reports-public'],
        consoleUrl: message.consoleUrl,
      },
      change: { principalArn: 'arn:aws:iam::111122223333:user/Alice', sourceIp: '192.0.2.0' },
    });
    expect(payload.findings.map((f: Finding) => f.rule)).toEqual([
      'public-key',
      'rotation-disabled',
      'separation-of-duties',
    ]);
    expect(payload.findings[0].example.principal).toBe('arn:aws:iam::999988887777:user/outsider');
  });

  it('takes account and region from the ARN when the key reference lacks them', () => {
    const m = buildNotification({ findings: sharedReport.findings, key: { arn: sharedReport.key.arn } });
    expect(m.payload.key).toMatchObject({ account: '111122223333', region: 'eu-west-1', aliases: [] });
    expect(m.subject).toMatch(/ on mrk-0a1b2c3d4e5f6.*\.\.\. in 111122223333\/eu-west-1$/);
    expect(m.subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
  });
});
