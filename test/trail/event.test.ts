import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCloudTrailEvent } from '../../src/trail/detect/event';
import { readTrailFile } from '../../src/trail/read/files';
import { ReadTally } from '../../src/trail/read/report';
import { awsdocsRecord, awsdocsTrailFiles, hasCorpus, PANTHER_RULES, pantherTests, stratusRecords } from './corpus';

describe.skipIf(!hasCorpus)('CloudTrail records of the corpus (../shared/corpus/real)', () => {
  it('reads every AWS KMS developer guide example; exactly the 4 invalid-as-published files are reported', async () => {
    const files = awsdocsTrailFiles();
    expect(files.length).toBe(65); // 62 ct-* files + 3 extra events (SOURCE.md)
    const tally = new ReadTally();
    let events = 0;
    for (const file of files)
      events += (await readTrailFile(file, { investigation: 'key', window: {}, validateAll: true }, tally)).length;
    const report = tally.report();
    expect(report.invalidEvents).toBe(0);
    expect(report.problems.map((p) => basename(p.file))).toEqual([
      'ct-decrypt-enclave.md.block-1.invalid-json.txt',
      'ct-decrypt.md.block-2.invalid-json.txt',
      'ct-encrypt.md.block-1.invalid-json.txt',
      'ct-replicate-key.md.block-1.invalid-json.txt',
    ]);
    for (const problem of report.problems) expect(problem.error).toMatch(/^not valid JSON \(/);
    expect(events).toBeGreaterThanOrEqual(61); // ec2one/ec2two carry several records each
  });

  it('keeps the AwsServiceEvent records (DeleteKey, RotateKey) that have no caller', () => {
    for (const name of ['ct-delete-key.md.block-1.json', 'ct-rotatekey.md.block-1.json']) {
      const parsed = parseCloudTrailEvent(awsdocsRecord(name));
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.event.eventType).toBe('AwsServiceEvent');
    }
  });

  it('parses every labelled Panther CloudTrail test event (YAML flow mappings, space-separated times)', () => {
    const files = readdirSync(PANTHER_RULES).filter((name) => name.endsWith('.yml'));
    const tests = files.flatMap(pantherTests);
    expect(tests.length).toBe(31);
    for (const test of tests) {
      const parsed = parseCloudTrailEvent(test.log);
      expect(parsed, `${test.file}: ${test.name}`).toMatchObject({ ok: true });
    }
  });

  it('parses the Stratus Red Team detonation logs (anonymised regions and IPs are not rejected)', () => {
    const records = stratusRecords();
    expect(records).toHaveLength(4);
    for (const record of records) expect(parseCloudTrailEvent(record).ok).toBe(true);
  });
});

describe('parseCloudTrailEvent on bad input', () => {
  const base = {
    eventTime: '2024-06-01T10:15:00Z',
    eventSource: 'kms.amazonaws.com',
    eventName: 'Decrypt',
  };
  it.each([
    ['a string', 'hello', 'not a JSON object'],
    ['null', null, 'not a JSON object'],
    ['an array', [base], 'not a JSON object'],
    ['a record without eventName', { eventTime: base.eventTime, eventSource: base.eventSource }, 'missing eventName'],
    ['a record without eventTime', { eventSource: base.eventSource, eventName: 'Decrypt' }, 'missing eventTime'],
    ['eventName of the wrong type', { ...base, eventName: 42 }, 'eventName: expected string'],
    ['userIdentity of the wrong type', { ...base, userIdentity: 'root' }, 'userIdentity: expected object'],
    ['resources that is not a list', { ...base, resources: { ARN: 'x' } }, 'resources: expected array'],
    ['an eventTime that is not a date', { ...base, eventTime: 'yesterday' }, 'is not a date'],
    ['a non-CloudTrail EventBridge event', { 'detail-type': 'Scheduled Event', detail: {} }, 'does not carry'],
  ])('rejects %s with a reason', (_label, value, reason) => {
    const parsed = parseCloudTrailEvent(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('accepts null where CloudTrail writes null, and unknown fields', () => {
    const parsed = parseCloudTrailEvent({ ...base, requestParameters: null, resources: null, tlsDetails: { x: 1 } });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.event.tlsDetails).toEqual({ x: 1 });
  });

  it('unwraps the EventBridge envelope "AWS API Call via CloudTrail"', () => {
    const parsed = parseCloudTrailEvent({
      version: '0',
      id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.kms',
      account: '111122223333',
      time: '2024-06-01T10:15:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { ...base, eventName: 'PutKeyPolicy' },
    });
    expect(parsed).toMatchObject({ ok: true, event: { eventName: 'PutKeyPolicy' } });
  });
});
