import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { changeFromCloudTrail } from '../../../src/sinks/notify/change';
import { ChannelError } from '../../../src/sinks/notify/channel';
import { createChannel } from '../../../src/sinks/notify/create';
import { EVENT_DETAIL_MAX_BYTES, eventDetail } from '../../../src/sinks/notify/eventbridge';
import { buildNotification, keyRefOf } from '../../../src/sinks/notify/message';
import { loadReports, readFixture } from '../fixtures/load';

const eventBridge = mockClient(EventBridgeClient);
afterEach(() => eventBridge.reset());

const report = loadReports().find((r) => r.access.reach === 'cross-account')!;
const message = buildNotification({
  findings: report.findings,
  key: keyRefOf(report.key),
  change: changeFromCloudTrail(readFixture('cloudtrail-put-key-policy.json')),
});
const client = () => new EventBridgeClient({ region: 'eu-west-1' });

describe('EventBridge channel (aws-sdk-client-mock)', () => {
  it('puts one keywarden.finding event from source keywarden on the configured bus', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: '11710aed-b79e-4468-a20b-bb3c0c3b4860' }] });
    const channel = createChannel({ type: 'eventbridge', busName: 'security-alerts' }, { eventBridge: client() });
    expect(channel.name).toBe('eventbridge:security-alerts');
    await channel.send(message);
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(1);
    const entries = calls[0]!.args[0].input.Entries!;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      Source: 'keywarden',
      DetailType: 'keywarden.finding',
      EventBusName: 'security-alerts',
      Resources: [report.key.arn],
    });
    const detail = JSON.parse(entries[0]!.Detail!);
    expect(detail).toEqual(JSON.parse(JSON.stringify(message.payload)));
    expect(detail.change.principalArn).toBe('arn:aws:iam::111122223333:user/Alice');
  });

  it('reports a refused entry as a ChannelError, retryable only for throttling and internal failures', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' }],
    });
    const channel = createChannel({ type: 'eventbridge', busName: 'default' }, { eventBridge: client() });
    const refused = (await channel.send(message).catch((e: unknown) => e)) as ChannelError;
    expect(refused).toBeInstanceOf(ChannelError);
    expect(refused.retryable).toBe(false);
    expect(refused.code).toBe('NotAuthorizedForSourceException');
    expect(refused.message).toContain('EventBridge refused the event on bus default');

    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }],
    });
    const throttled = (await channel.send(message).catch((e: unknown) => e)) as ChannelError;
    expect(throttled.retryable).toBe(true);
  });

  it('turns an SDK error into an actionable ChannelError', async () => {
    eventBridge.on(PutEventsCommand).rejects(
      Object.assign(new Error('Event bus security-alerts does not exist.'), {
        name: 'ResourceNotFoundException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const channel = createChannel({ type: 'eventbridge', busName: 'security-alerts' }, { eventBridge: client() });
    const error = (await channel.send(message).catch((e: unknown) => e)) as ChannelError;
    expect(error).toBeInstanceOf(ChannelError);
    expect(error.code).toBe('ResourceNotFoundException');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'eventbridge:security-alerts: could not put the event on bus security-alerts: Event bus security-alerts does not exist. (ResourceNotFoundException, HTTP 400); check the ARN or name in the channels configuration',
    );
  });

  it('shrinks an oversized detail to the finding summaries instead of failing', () => {
    const huge = {
      ...message.payload,
      findings: message.payload.findings.map((f) => ({ ...f, explanation: 'x'.repeat(200_000) })),
    };
    const detail = eventDetail(huge);
    expect(Buffer.byteLength(detail)).toBeLessThanOrEqual(EVENT_DETAIL_MAX_BYTES);
    const parsed = JSON.parse(detail);
    expect(parsed.truncated).toBe(true);
    expect(parsed.findings.map((f: { id: string }) => f.id)).toEqual(message.payload.findings.map((f) => f.id));
  });
});
