/** Amazon SNS: Publish with an e-mail friendly Subject, the plain text as Message, and severity as an attribute. */
import { createHash } from 'node:crypto';
import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { awsChannelError } from './aws-error';
import type { Channel } from './channel';
import { arnParts } from './console-link';
import type { NotificationMessage } from './types';

/** SNS takes at most 256 KiB per message, attributes included; keep room for them. */
export const SNS_MESSAGE_MAX_BYTES = 250_000;

export interface SnsChannelOptions {
  topicArn: string;
  /** Defaults to a client in the topic's region with the default credential chain. */
  client?: SNSClient;
  name?: string;
}

/** Cuts text to at most `maxBytes` of UTF-8, on a character boundary, saying that it was cut. */
export function fitBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const note = '\n\n[cut to fit the channel limit: the full report is in the JSON payload]\n';
  let out = '';
  let bytes = Buffer.byteLength(note, 'utf8');
  for (const char of text) {
    bytes += Buffer.byteLength(char, 'utf8');
    if (bytes > maxBytes) break;
    out += char;
  }
  return out + note;
}

export function snsPublishInput(topicArn: string, message: NotificationMessage): PublishCommandInput {
  const rules = [...new Set(message.payload.findings.map((f) => f.rule))].sort();
  const input: PublishCommandInput = {
    TopicArn: topicArn,
    Subject: message.subject,
    Message: fitBytes(message.text, SNS_MESSAGE_MAX_BYTES),
    MessageAttributes: {
      severity: { DataType: 'String', StringValue: message.severity },
      keyArn: { DataType: 'String', StringValue: message.payload.key.arn },
      ...(rules.length > 0 ? { rules: { DataType: 'String.Array', StringValue: JSON.stringify(rules) } } : {}),
    },
  };
  if (topicArn.endsWith('.fifo')) {
    const ids = [...message.payload.findings.map((f) => f.id), ...message.payload.resolved.map((f) => `-${f.id}`)];
    input.MessageGroupId = message.payload.key.arn.slice(-128);
    input.MessageDeduplicationId = createHash('sha256').update(ids.sort().join(',')).digest('hex');
  }
  return input;
}

export function createSnsChannel(options: SnsChannelOptions): Channel {
  const name = options.name ?? `sns:${options.topicArn}`;
  let client = options.client;
  return {
    name,
    async send(message) {
      client ??= new SNSClient({ region: arnParts(options.topicArn).region });
      try {
        await client.send(new PublishCommand(snsPublishInput(options.topicArn, message)));
      } catch (error) {
        throw awsChannelError(name, `publish to ${options.topicArn}`, error);
      }
    },
  };
}
