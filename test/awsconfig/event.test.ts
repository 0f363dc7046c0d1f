import { describe, expect, it } from 'vitest';
import { parseConfigRuleEvent } from '../../src/sinks/awsconfig/event';
import { fromApiItem, snapshotFieldsOf } from '../../src/sinks/awsconfig/item';
import { event, fixture, KEY } from './harness';

describe('AWS Config rule events (shapes of the AWS Config Developer Guide)', () => {
  it('a configuration item change notification', () => {
    const parsed = parseConfigRuleEvent(event('change-notification'));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.event).toMatchObject({
      configRuleName: 'keywarden-kms-keys',
      accountId: '111122223333',
      eventLeftScope: false,
      parameters: {},
      invoking: { messageType: 'ConfigurationItemChangeNotification', configurationItem: { resourceId: KEY } },
    });
  });

  it('an oversized notification and a scheduled one', () => {
    const oversized = parseConfigRuleEvent(event('oversized-notification'));
    expect(oversized.ok && oversized.event.invoking.messageType).toBe('OversizedConfigurationItemChangeNotification');
    const scheduled = parseConfigRuleEvent(event('scheduled-notification'));
    expect(scheduled.ok && scheduled.event.invoking.messageType).toBe('ScheduledNotification');
  });

  it('rejects what it cannot handle, saying why', () => {
    expect(parseConfigRuleEvent({ hello: 'world' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not an AWS Config rule event: invokingEvent: /),
    });
    const snapshot = event('scheduled-notification');
    expect(
      parseConfigRuleEvent({ ...snapshot, invokingEvent: '{"messageType":"ConfigurationSnapshotDeliveryCompleted"}' }),
    ).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^unsupported invokingEvent/),
    });
    expect(parseConfigRuleEvent({ ...snapshot, ruleParameters: '{not json' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^ruleParameters \(the rule's InputParameters\) is not JSON/),
    });
    expect(parseConfigRuleEvent({ ...snapshot, ruleParameters: '[1]' })).toMatchObject({ ok: false });
  });
});

describe('configuration items of AWS::KMS::Key', () => {
  it('carry the key metadata (camelCase -> DescribeKey spelling), tags and rotation; no policy', () => {
    const parsed = parseConfigRuleEvent(event('change-notification'));
    if (!parsed.ok || parsed.event.invoking.messageType !== 'ConfigurationItemChangeNotification')
      throw new Error('bad fixture');
    const fields = snapshotFieldsOf(parsed.event.invoking.configurationItem);
    expect(fields.DescribeKey).toEqual({
      KeyMetadata: expect.objectContaining({
        KeyId: KEY,
        Arn: `arn:aws:kms:eu-west-1:111122223333:key/${KEY}`,
        AWSAccountId: '111122223333',
        KeyState: 'Enabled',
        KeyManager: 'CUSTOMER',
        KeySpec: 'SYMMETRIC_DEFAULT',
        Origin: 'AWS_KMS',
      }),
    });
    expect(fields.ListResourceTags).toEqual({ Tags: [{ TagKey: 'team', TagValue: 'devops' }] });
    expect(fields.GetKeyRotationStatus).toEqual({ KeyRotationEnabled: true });
    expect(fields.GetKeyPolicy).toBeUndefined();
  });

  it('GetResourceConfigHistory items (JSON strings, arn, accountId) read the same', () => {
    const api = fixture('config-get-resource-config-history').configurationItems[0];
    const item = fromApiItem(api);
    expect(item).toMatchObject({
      awsAccountId: '111122223333',
      ARN: `arn:aws:kms:eu-west-1:111122223333:key/${KEY}`,
      configurationItemCaptureTime: '2026-11-20T10:01:16.261Z',
      supplementaryConfiguration: { KeyRotationStatus: true },
    });
    const delivered = parseConfigRuleEvent(event('change-notification'));
    if (!delivered.ok || delivered.event.invoking.messageType !== 'ConfigurationItemChangeNotification')
      throw new Error('bad fixture');
    expect(snapshotFieldsOf(item).DescribeKey).toEqual(
      snapshotFieldsOf(delivered.event.invoking.configurationItem).DescribeKey,
    );
  });
});
