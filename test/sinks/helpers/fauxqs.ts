/**
 * fauxqs (SNS/SQS emulator) served on 127.0.0.1 by the test itself. `startFauxqs` listens on 0.0.0.0, so the
 * test builds the app and listens on the loopback address; topics and queues are created through the SNS and SQS
 * APIs, and delivered messages are read through fauxqs's inspection endpoint.
 */
import { buildApp } from 'fauxqs';

export interface LocalSns {
  endpoint: string;
  stop(): Promise<void>;
  /** SQS JSON-protocol call (the SQS client is not a dependency of keywarden, so it is a plain POST). */
  sqs(action: string, body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Messages waiting in a queue, without consuming them. */
  queueMessages(queueName: string): Promise<Array<{ body: string }>>;
}

export async function startLocalSns(): Promise<LocalSns> {
  const app = buildApp({ logger: false });
  const endpoint = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    endpoint,
    stop: () => app.close(),
    async sqs(action, body) {
      const response = await fetch(`${endpoint}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`SQS ${action} failed: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    },
    async queueMessages(queueName) {
      const response = await fetch(`${endpoint}/_fauxqs/queues/${encodeURIComponent(queueName)}`);
      if (!response.ok) throw new Error(`inspecting queue ${queueName}: HTTP ${response.status}`);
      const state = (await response.json()) as { messages: { ready: Array<{ body: string }> } };
      return state.messages.ready;
    },
  };
}
