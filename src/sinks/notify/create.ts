/** Builds the channels a configuration names; the AWS clients and the environment can be passed in (tests, Lambda). */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SNSClient } from '@aws-sdk/client-sns';
import { type Channel, ChannelError } from './channel';
import type { ChannelConfig } from './config';
import { createEventBridgeChannel } from './eventbridge';
import { createSmtpChannel } from './smtp';
import { createSnsChannel } from './sns';
import { createWebhookChannel } from './webhook';

export interface ChannelDeps {
  sns?: SNSClient;
  eventBridge?: EventBridgeClient;
  env?: Record<string, string | undefined>;
  fetch?: typeof fetch;
}

export function createChannel(config: ChannelConfig, deps: ChannelDeps = {}): Channel {
  switch (config.type) {
    case 'sns':
      return createSnsChannel({ topicArn: config.topicArn, client: deps.sns, name: config.name });
    case 'smtp':
      return createSmtpChannel({
        host: config.host,
        port: config.port,
        secure: config.secure ?? config.port === 465,
        user: config.user,
        passwordEnv: config.passwordEnv,
        from: config.from,
        to: Array.isArray(config.to) ? config.to : [config.to],
        env: deps.env,
        name: config.name,
      });
    case 'webhook': {
      const url = config.url ?? (deps.env ?? process.env)[config.urlEnv ?? ''];
      if (!url) {
        const name = config.name ?? `webhook:$${config.urlEnv}`;
        return {
          name,
          async send() {
            throw new ChannelError(
              name,
              `${name}: the environment variable ${config.urlEnv} holding the webhook URL is empty or not set`,
              {
                retryable: false,
                code: 'NO_URL',
              },
            );
          },
        };
      }
      return createWebhookChannel({ url, kind: config.kind, fetch: deps.fetch, name: config.name });
    }
    case 'eventbridge':
      return createEventBridgeChannel({ busName: config.busName, client: deps.eventBridge, name: config.name });
  }
}

export const createChannels = (configs: readonly ChannelConfig[], deps: ChannelDeps = {}): Channel[] =>
  configs.map((config) => createChannel(config, deps));
