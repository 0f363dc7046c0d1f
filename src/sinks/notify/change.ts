/** Who changed the key, read from a CloudTrail record (the `detail` of an "AWS API Call via CloudTrail" event). */
import type { ChangeActor } from './types';

/** The CloudTrail record fields this reads; everything is optional because records vary by event and version. */
export interface CloudTrailRecordLike {
  eventTime?: unknown;
  eventName?: unknown;
  eventID?: unknown;
  sourceIPAddress?: unknown;
  userAgent?: unknown;
  errorCode?: unknown;
  userIdentity?: {
    type?: unknown;
    arn?: unknown;
    sessionContext?: { sessionIssuer?: { arn?: unknown } };
  };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function changeFromCloudTrail(record: CloudTrailRecordLike): ChangeActor {
  const identity = record.userIdentity ?? {};
  const actor: ChangeActor = {
    principalArn: text(identity.arn),
    sessionIssuerArn: text(identity.sessionContext?.sessionIssuer?.arn),
    identityType: text(identity.type),
    sourceIp: text(record.sourceIPAddress),
    userAgent: text(record.userAgent),
    eventTime: text(record.eventTime),
    eventName: text(record.eventName),
    eventId: text(record.eventID),
    errorCode: text(record.errorCode),
  };
  return Object.fromEntries(Object.entries(actor).filter(([, v]) => v !== undefined)) as ChangeActor;
}
