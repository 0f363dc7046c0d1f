/** Notifications: the message builder and the channels (SNS, SMTP e-mail, Slack/generic webhook, EventBridge). */
export { changeFromCloudTrail } from './change';
export { type Channel, ChannelError, redactUrl } from './channel';
export {
  type ChannelConfig,
  channelConfigSchema,
  type NotificationsConfig,
  notificationsConfigSchema,
  parseNotificationsConfig,
} from './config';
export { arnParts, consoleUrlForKey } from './console-link';
export { type ChannelDeps, createChannel, createChannels } from './create';
export { createEventBridgeChannel, EVENT_DETAIL_TYPE, EVENT_SOURCE } from './eventbridge';
export { buildNotification, buildSubject, keyRefOf, SUBJECT_MAX } from './message';
export { escapeHtml } from './render';
export { createSmtpChannel } from './smtp';
export { createSnsChannel } from './sns';
export type { ChangeActor, KeyRef, NotificationInput, NotificationMessage, NotificationPayload } from './types';
export { createWebhookChannel } from './webhook';
