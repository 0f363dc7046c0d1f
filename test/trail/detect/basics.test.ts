import { describe, expect, it } from 'vitest';
import { parseCloudTrailEvent } from '../../../src/trail/detect/event';
import { actingPrincipal, keyArnsOf } from '../../../src/trail/detect/fields';
import { parseTimeBound, parseTimeWindow } from '../../../src/trail/detect/time';
import { parseSourceSpec } from '../../../src/trail/read/source';
import { awsdocsRecord, hasCorpus } from '../corpus';
import { fromTemplate, roleIdentity } from '../helpers';

const NOW = Date.parse('2024-06-02T00:00:00Z');

describe('time bounds', () => {
  it.each([
    ['24h', '2024-06-01T00:00:00.000Z'],
    ['7d', '2024-05-26T00:00:00.000Z'],
    ['90m', '2024-06-01T22:30:00.000Z'],
    ['2w', '2024-05-19T00:00:00.000Z'],
    ['2024-05-01', '2024-05-01T00:00:00.000Z'],
    ['2024-05-01T10:15:00Z', '2024-05-01T10:15:00.000Z'],
    ['2024-05-01T12:15:00+02:00', '2024-05-01T10:15:00.000Z'],
  ])('%s', (text, iso) => {
    const bound = parseTimeBound(text, NOW);
    expect(bound.ok && new Date(bound.ms).toISOString()).toBe(iso);
  });

  it.each(['yesterday', '24', '2024-13-45', '-3d'])('%s is refused with the formats to use', (text) => {
    const bound = parseTimeBound(text, NOW);
    expect(bound.ok).toBe(false);
    if (!bound.ok) expect(bound.reason).toContain('ISO 8601');
  });

  it('since must be before until', () => {
    expect(parseTimeWindow('1h', '2h', NOW)).toEqual({ ok: false, reason: '--since must be before --until' });
  });
});

describe('fields of a record', () => {
  it('the acting principal is the role behind a session, else the caller', () => {
    expect(actingPrincipal(fromTemplate('decrypt'))).toBe('arn:aws:iam::111122223333:user/Alice');
    expect(actingPrincipal(fromTemplate('decrypt', { userIdentity: roleIdentity('111122223333', 'ops', 's1') }))).toBe(
      'arn:aws:iam::111122223333:role/ops',
    );
    expect(
      actingPrincipal(
        fromTemplate('decrypt', {
          userIdentity: { type: 'AWSAccount', principalId: 'AIDAX', accountId: '444455556666' },
        }),
      ),
    ).toBe('444455556666:AIDAX');
  });

  it.skipIf(!hasCorpus)('finds the key of every KMS example that names one, also without a resource type', () => {
    const disable = parseCloudTrailEvent(awsdocsRecord('ct-disablekey.md.block-1.json'));
    expect(disable.ok && keyArnsOf(disable.event)).toEqual([
      'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ]);
    const noResources = fromTemplate('generate-data-key', { resources: null });
    expect(keyArnsOf(noResources)).toEqual([
      'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ]);
  });
});

describe('SOURCE strings', () => {
  it.each([
    ['./logs', { kind: 'path', path: './logs' }],
    ['s3://my-trail-bucket/org/AWSLogs/', { kind: 's3', bucket: 'my-trail-bucket', prefix: 'org/AWSLogs/' }],
    ['s3://my-trail-bucket', { kind: 's3', bucket: 'my-trail-bucket', prefix: '' }],
    ['lookup:us-east-1,eu-west-1', { kind: 'lookup', regions: ['us-east-1', 'eu-west-1'] }],
    ['lookup:all', { kind: 'lookup', regions: 'all' }],
    ['logs:aws-cloudtrail-logs-111122223333', { kind: 'logs', logGroup: 'aws-cloudtrail-logs-111122223333' }],
  ])('%s', (text, spec) => {
    expect(parseSourceSpec(text)).toEqual({ ok: true, spec });
  });

  it.each([
    ['', 'SOURCE is empty'],
    ['s3://Bad_Bucket/x', 'is not an S3 bucket name'],
    ['lookup:mars-1', 'is not a region'],
    ['logs:bad group', 'is not a CloudWatch Logs log group name'],
  ])('%s is refused', (text, reason) => {
    const parsed = parseSourceSpec(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });
});
