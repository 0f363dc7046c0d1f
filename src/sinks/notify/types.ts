/** What a notification is about, who caused it, and the message every channel sends. */
import type { Finding, Severity } from '../../findings/types';
import type { JsonFinding } from '../format/json-key';

/** The KMS key a notification is about. */
export interface KeyRef {
  arn: string;
  account?: string;
  region?: string;
  aliases?: readonly string[];
}

/** Who made the change that raised the findings (from the CloudTrail record), as far as it is known. */
export interface ChangeActor {
  /** `userIdentity.arn`: the user, the assumed-role session, or the root. */
  principalArn?: string;
  /** `userIdentity.sessionContext.sessionIssuer.arn`: the role behind a session. */
  sessionIssuerArn?: string;
  /** `userIdentity.type`: IAMUser, AssumedRole, Root, AWSService... */
  identityType?: string;
  sourceIp?: string;
  userAgent?: string;
  /** As CloudTrail wrote it (ISO 8601). */
  eventTime?: string;
  eventName?: string;
  eventId?: string;
  /** Set when the call failed (an AccessDenied PutKeyPolicy is someone trying). */
  errorCode?: string;
}

export interface NotificationInput {
  /** New findings to alert about. */
  findings: readonly Finding[];
  /** Findings that were open and are gone now (reported as resolved). */
  resolved?: readonly Finding[];
  key: KeyRef;
  change?: ChangeActor;
}

export const NOTIFICATION_FORMAT = 'keywarden.notification/v1';

/** The machine-readable form: the webhook body, the EventBridge detail. */
export interface NotificationPayload {
  format: typeof NOTIFICATION_FORMAT;
  subject: string;
  /** Highest severity among the new findings (unsuppressed first); `info` when only resolutions are reported. */
  severity: Severity;
  key: { arn: string; account?: string; region?: string; aliases: string[]; consoleUrl?: string };
  change?: ChangeActor;
  findings: JsonFinding[];
  resolved: Array<Pick<Finding, 'id' | 'rule' | 'severity' | 'title'>>;
}

export interface NotificationMessage {
  /** E-mail and SNS friendly: one line, at most 99 characters (SNS wants fewer than 100). */
  subject: string;
  text: string;
  /** Every value escaped. */
  html: string;
  payload: NotificationPayload;
  severity: Severity;
  consoleUrl?: string;
}
