/** A local HTTP endpoint subscribed to an SNS topic in moto: moto POSTs every published message to it. */
import { createServer, type Server } from 'node:http';
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';

export interface SnsNotification {
  Type: string;
  Subject?: string;
  Message: string;
  TopicArn: string;
}

export interface SnsReceiver {
  topicArn: string;
  received: SnsNotification[];
  /** Every raw body, for checks that nothing secret was sent. */
  bodies: string[];
  /** Resolves once `count` notifications arrived (polls; gives up after `waitMs`, default 10 s). */
  waitFor(count: number, waitMs?: number): Promise<SnsNotification[]>;
  close(): Promise<void>;
}

export const snsReceiver = async (sns: SNSClient, topicName: string): Promise<SnsReceiver> => {
  const received: SnsNotification[] = [];
  const bodies: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      bodies.push(body);
      try {
        const parsed = JSON.parse(body) as SnsNotification;
        if (parsed.Type === 'Notification') received.push(parsed);
      } catch {
        // not a notification
      }
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const topic = await sns.send(new CreateTopicCommand({ Name: topicName }));
  const topicArn = topic.TopicArn as string;
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: `http://127.0.0.1:${port}/sns` }),
  );
  return {
    topicArn,
    received,
    bodies,
    async waitFor(count, waitMs = 10_000) {
      for (let i = 0; i < waitMs / 50 && received.length < count; i++) await new Promise((r) => setTimeout(r, 50));
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
