/** Amazon EventBridge: PutEvents with source `keywarden` and detail-type `keywarden.finding`, for any routing. */
import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandOutput,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { awsChannelError } from './aws-error';
import { type Channel, ChannelError } from './channel';
import type { NotificationMessage, NotificationPayload } from './types';

export const EVENT_SOURCE = 'keywarden';
export const EVENT_DETAIL_TYPE = 'keywarden.finding';
/** PutEvents takes at most 256 KiB per entry; keep room for the envelope. */
export const EVENT_DETAIL_MAX_BYTES = 240_000;

export interface EventBridgeChannelOptions {
  /** Bus name or ARN; `default` when not set. */
  busName?: string;
  client?: EventBridgeClient;
  name?: string;
}

/** The detail, shrunk to the findings' ids, rules, severities and titles when the full payload is too large. */
export function eventDetail(payload: NotificationPayload): string {
  const full = JSON.stringify(payload);
  if (Buffer.byteLength(full, 'utf8') <= EVENT_DETAIL_MAX_BYTES) return full;
  const findings = payload.findings.map(({ id, rule, severity, status, title }) => ({
    id,
    rule,
    severity,
    status,
    title,
  }));
  return JSON.stringify({ ...payload, findings, truncated: true });
}

export function eventEntry(busName: string, message: NotificationMessage): PutEventsRequestEntry {
  const arn = message.payload.key.arn;
  return {
    Source: EVENT_SOURCE,
    DetailType: EVENT_DETAIL_TYPE,
    Detail: eventDetail(message.payload),
    EventBusName: busName,
    ...(arn.startsWith('arn:') ? { Resources: [arn] } : {}),
  };
}

export function createEventBridgeChannel(options: EventBridgeChannelOptions = {}): Channel {
  const busName = options.busName ?? 'default';
  const name = options.name ?? `eventbridge:${busName}`;
  let client = options.client;
  return {
    name,
    async send(message) {
      client ??= new EventBridgeClient({});
      let response: PutEventsCommandOutput;
      try {
        response = await client.send(new PutEventsCommand({ Entries: [eventEntry(busName, message)] }));
      } catch (error) {
        throw awsChannelError(name, `put the event on bus ${busName}`, error);
      }
      if ((response.FailedEntryCount ?? 0) > 0) {
        const entry = response.Entries?.find((e) => e.ErrorCode) ?? response.Entries?.[0] ?? {};
        const code = entry.ErrorCode ?? 'FailedEntry';
        const retryable = /Throttl|InternalFailure|ServiceUnavailable/i.test(code);
        throw new ChannelError(
          name,
          `${name}: EventBridge refused the event on bus ${busName}: ${code}: ${entry.ErrorMessage ?? 'no message'}; ${
            retryable ? 'will be retried' : 'check the bus name and that the role may call events:PutEvents on it'
          }`,
          { retryable, code },
        );
      }
    },
  };
}
