/**
 * A CloudTrail record, the fields keywarden reads: a zod schema that is lenient (unknown fields pass through, most
 * fields are optional, `null` is accepted where CloudTrail writes it) but checks the type of every field it names.
 * Also unwraps the EventBridge envelope ("AWS API Call via CloudTrail": `detail` is the record).
 */
import { z } from 'zod';

const text = z.string().nullish();

const SessionIssuerSchema = z.looseObject({
  type: text,
  principalId: text,
  arn: text,
  accountId: text,
  userName: text,
});

const SessionContextSchema = z.looseObject({
  sessionIssuer: SessionIssuerSchema.nullish(),
  attributes: z.looseObject({ mfaAuthenticated: text, creationDate: text }).nullish(),
  sourceIdentity: text,
});

export const UserIdentitySchema = z.looseObject({
  /** IAMUser, AssumedRole, Root, AWSAccount, AWSService, FederatedUser, IdentityCenterUser, Unknown... */
  type: text,
  principalId: text,
  arn: text,
  accountId: text,
  accessKeyId: text,
  userName: text,
  invokedBy: text,
  sessionContext: SessionContextSchema.nullish(),
});

/** CloudTrail writes `ARN`; some exporters lower-case it to `arn`. Both are read. */
export const ResourceSchema = z.looseObject({ ARN: text, arn: text, accountId: text, type: text });

/** A JSON object of request parameters or response elements (CloudTrail writes `null` when there are none). */
const objectOrNull = z.record(z.string(), z.unknown()).nullish();

export const CloudTrailEventSchema = z.looseObject({
  eventVersion: text,
  /** ISO 8601 UTC, e.g. 2022-11-24T18:57:43Z. */
  eventTime: z.string(),
  eventSource: z.string(),
  eventName: z.string(),
  awsRegion: text,
  sourceIPAddress: text,
  userAgent: text,
  userIdentity: UserIdentitySchema.nullish(),
  requestParameters: objectOrNull,
  responseElements: objectOrNull,
  additionalEventData: objectOrNull,
  errorCode: text,
  errorMessage: text,
  requestID: text,
  eventID: text,
  sharedEventID: text,
  readOnly: z.boolean().nullish(),
  resources: z.array(ResourceSchema).nullish(),
  recipientAccountId: text,
  /** AwsApiCall, AwsServiceEvent, AwsConsoleAction, AwsConsoleSignIn, AwsCloudTrailInsight, AwsVpceEvent. */
  eventType: text,
  eventCategory: text,
  managementEvent: z.boolean().nullish(),
  vpcEndpointId: text,
});

export type CloudTrailEvent = z.infer<typeof CloudTrailEventSchema>;
export type UserIdentity = z.infer<typeof UserIdentitySchema>;
export type TrailResource = z.infer<typeof ResourceSchema>;

export type EventParse = { ok: true; event: CloudTrailEvent } | { ok: false; reason: string };

/** EventBridge detail-types whose `detail` is a CloudTrail record. */
export const CLOUDTRAIL_DETAIL_TYPES: readonly string[] = [
  'AWS API Call via CloudTrail',
  'AWS Service Event via CloudTrail',
  'AWS Console Action via CloudTrail',
  'AWS Console Sign In via CloudTrail',
];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** True when the value looks like an EventBridge envelope (it has `detail-type` and `detail`). */
export const isEventBridgeEnvelope = (value: unknown): value is Record<string, unknown> =>
  isObject(value) && typeof value['detail-type'] === 'string' && 'detail' in value;

const describeIssue = (issue: z.core.$ZodIssue): string => {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'invalid_type') {
    const missing = issue.message.includes('received undefined');
    return missing ? `missing ${path}` : `${path || 'event'}: expected ${issue.expected}`;
  }
  return `${path || 'event'}: ${issue.message}`;
};

/** Time of an event in epoch milliseconds, or NaN. Accepts ISO 8601 and `YYYY-MM-DD HH:MM:SS(.fff)` taken as UTC. */
export const eventTimeMs = (eventTime: string): number => {
  const direct = Date.parse(eventTime);
  if (/[zZ]$|[+-]\d\d:?\d\d$/.test(eventTime)) return direct;
  const spaced = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d+)?$/.exec(eventTime.trim());
  if (spaced) return Date.parse(`${spaced[1]}T${spaced[2]}${(spaced[3] ?? '').slice(0, 4)}Z`);
  return direct;
};

/** The record inside an EventBridge envelope, or the value itself. */
export const unwrapRecord = (value: unknown): unknown =>
  isEventBridgeEnvelope(value) && CLOUDTRAIL_DETAIL_TYPES.includes(value['detail-type'] as string)
    ? value.detail
    : value;

/**
 * The check every record gets, whatever the investigation: a JSON object with eventTime, eventSource and eventName
 * as strings. Returns why not, or undefined. Records an investigation uses then get the full parse below.
 */
export const missingRequiredFields = (record: unknown): string | undefined => {
  if (!isObject(record)) return 'not a JSON object';
  for (const field of ['eventTime', 'eventSource', 'eventName'] as const) {
    const value = record[field];
    if (value === undefined || value === null) return `not a CloudTrail record: missing ${field}`;
    if (typeof value !== 'string') return `not a CloudTrail record: ${field}: expected string`;
  }
  return undefined;
};

/**
 * Parse one CloudTrail record, or an EventBridge envelope carrying one. Never throws.
 * The reason says what is wrong in a user's words ("missing eventName", "eventTime: not a date").
 */
export const parseCloudTrailEvent = (value: unknown): EventParse => {
  let record = value;
  if (isEventBridgeEnvelope(value)) {
    const detailType = value['detail-type'] as string;
    if (!CLOUDTRAIL_DETAIL_TYPES.includes(detailType)) {
      return {
        ok: false,
        reason: `EventBridge event of detail-type "${detailType}" does not carry a CloudTrail record`,
      };
    }
    record = value.detail;
  }
  if (!isObject(record)) return { ok: false, reason: 'not a JSON object' };
  const parsed = CloudTrailEventSchema.safeParse(record);
  if (!parsed.success) {
    const reasons = parsed.error.issues.slice(0, 3).map(describeIssue);
    return { ok: false, reason: `not a CloudTrail record: ${reasons.join('; ')}` };
  }
  if (Number.isNaN(eventTimeMs(parsed.data.eventTime))) {
    return { ok: false, reason: `eventTime "${parsed.data.eventTime.slice(0, 40)}" is not a date` };
  }
  return { ok: true, event: parsed.data };
};
