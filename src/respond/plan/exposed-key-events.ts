/**
 * The events that report an exposed access key, as zod schemas, and the case each one opens:
 * - Trusted Advisor "Exposed Access Keys" check item refresh (source aws.trustedadvisor, status ERROR);
 * - AWS Health AWS_RISK_CREDENTIALS_* (source aws.health): the current shape carries the key, user and URL in
 *   `eventMetadata`, older events only the key in `affectedEntities`; both are read;
 * - the rehearsal source `keywarden.test`: either detail, sent by a user with PutEvents to rehearse the response.
 * An EventBridge PutEvents entry (`Source`, `DetailType`, `Detail` as a JSON string), as the Trusted Advisor sample's
 * mock payload is written, is accepted too. Pure: unknown fields are ignored and never copied anywhere.
 */
import { z } from 'zod';
import type { BadEvent, ExposedKeyCase } from './exposed-key-types';

export const TRUSTED_ADVISOR_SOURCE = 'aws.trustedadvisor';
export const HEALTH_SOURCE = 'aws.health';
export const REHEARSAL_SOURCE = 'keywarden.test';
export const TRUSTED_ADVISOR_DETAIL_TYPE = 'Trusted Advisor Check Item Refresh Notification';
export const HEALTH_DETAIL_TYPE = 'AWS Health Event';
export const EXPOSED_KEYS_CHECK = 'Exposed Access Keys';
/** The AWS Health event codes about an IAM access key AWS found exposed or compromised. */
export const CREDENTIAL_EVENT_CODES: readonly string[] = [
  'AWS_RISK_CREDENTIALS_EXPOSED',
  'AWS_RISK_CREDENTIALS_COMPROMISED',
  'AWS_RISK_CREDENTIALS_EXPOSURE_SUSPECTED',
  'AWS_RISK_CREDENTIALS_COMPROMISE_SUSPECTED',
];
export const EVENT_SOURCES: readonly string[] = [TRUSTED_ADVISOR_SOURCE, HEALTH_SOURCE, REHEARSAL_SOURCE];

/** Long-term access key ids: AKIA and at least 12 more upper-case letters or digits (IAM allows 16 to 128). */
const LONG_TERM_KEY_ID = /^AKIA[A-Z0-9]{12,124}$/;
const ROOT_NAMES = /^(root|<root_account>|root account|root user)$/i;

export const EnvelopeSchema = z.looseObject({
  version: z.string().optional(),
  id: z.string().optional(),
  'detail-type': z.string(),
  source: z.string(),
  account: z.string().optional(),
  time: z.string().optional(),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: z.unknown(),
});

export const TrustedAdvisorDetailSchema = z.looseObject({
  'check-name': z.string(),
  'check-item-detail': z.record(z.string(), z.unknown()),
  status: z.string(),
  resource_id: z.string().optional(),
  uuid: z.string().optional(),
});

export const HealthDetailSchema = z.looseObject({
  eventArn: z.string(),
  service: z.string().optional(),
  eventTypeCode: z.string(),
  eventTypeCategory: z.string().optional(),
  startTime: z.string().optional(),
  eventMetadata: z
    .looseObject({
      publicKey: z.string().optional(),
      userName: z.string().optional(),
      exposedUrl: z.string().optional(),
      accountId: z.string().optional(),
    })
    .optional(),
  affectedEntities: z.array(z.looseObject({ entityValue: z.string() })).optional(),
  eventDescription: z.array(z.looseObject({ latestDescription: z.string().optional() })).optional(),
});

/** An EventBridge PutEvents entry (what `aws events put-events --entries file://...` reads). */
const PutEventsEntrySchema = z.looseObject({
  Source: z.string(),
  DetailType: z.string(),
  Detail: z.string(),
  Time: z.string().optional(),
  Resources: z.array(z.string()).optional(),
});

export type ExposureParse = { ok: true; case: ExposedKeyCase } | { ok: false; problem: BadEvent };

const issuesText = (error: z.ZodError, prefix: string): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${[prefix, ...issue.path.map(String)].filter(Boolean).join('/') || '(event)'}: ${issue.message}`)
    .join('; ');

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** Trusted Advisor writes times as epoch milliseconds in a string. */
const epochMsToIso = (value: string | undefined): string | undefined => {
  if (!value || !/^\d{10,14}$/.test(value)) return undefined;
  const date = new Date(Number(value));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

export const caseIdOf = (account: string | undefined, accessKeyId: string): string =>
  `exposed-key/${account ?? 'unknown-account'}/${accessKeyId}`;

const keyIdProblem = (value: string | undefined, where: string): string | undefined => {
  if (value === undefined) return `${where} is missing: the event does not say which access key was exposed`;
  if (LONG_TERM_KEY_ID.test(value)) return undefined;
  if (/^ASIA/.test(value)) {
    return `${where} "${value}" is a temporary (ASIA) key: it cannot be deactivated, revoke the sessions of the role or user that issued it`;
  }
  return `${where} "${value}" is not an access key id (AKIA followed by 16 upper-case letters or digits): put the exposed key's id there`;
};

/** Turn a PutEvents entry (or a list of exactly one) into the event EventBridge would deliver. */
const unwrapPutEvents = (input: unknown): { ok: true; event: unknown } | { ok: false; reason: string } => {
  let value = input;
  if (Array.isArray(value)) {
    if (value.length !== 1) {
      return { ok: false, reason: `the file holds ${value.length} events: give one event per response` };
    }
    value = value[0];
  }
  const entry = PutEventsEntrySchema.safeParse(value);
  if (!entry.success) return { ok: true, event: value };
  let detail: unknown;
  try {
    detail = JSON.parse(entry.data.Detail);
  } catch {
    return { ok: false, reason: 'Detail of the PutEvents entry is not valid JSON' };
  }
  return {
    ok: true,
    event: {
      'detail-type': entry.data.DetailType,
      source: entry.data.Source,
      ...(entry.data.Time ? { time: entry.data.Time } : {}),
      resources: entry.data.Resources ?? [],
      detail,
    },
  };
};

const fromTrustedAdvisor = (envelope: z.infer<typeof EnvelopeSchema>, base: BadEvent, rehearsal: boolean) => {
  const parsed = TrustedAdvisorDetailSchema.safeParse(envelope.detail);
  if (!parsed.success) {
    return bad(base, `malformed Trusted Advisor detail: ${issuesText(parsed.error, 'detail')}`);
  }
  const detail = parsed.data;
  if (detail['check-name'] !== EXPOSED_KEYS_CHECK) {
    return bad(
      base,
      `unknown check name "${detail['check-name']}": keywarden responds to the "${EXPOSED_KEYS_CHECK}" check only`,
    );
  }
  if (detail.status !== 'ERROR') {
    return bad(base, `check status is ${detail.status}, not ERROR: Trusted Advisor reports no exposed key in it`);
  }
  const item = detail['check-item-detail'];
  const accessKeyId = nonEmpty(item['Access Key ID']);
  const withKey = accessKeyId ? { ...base, accessKeyId } : base;
  const problem = keyIdProblem(accessKeyId, 'detail/check-item-detail/Access Key ID');
  if (problem || !accessKeyId) return bad(withKey, problem ?? 'no access key id');
  const name = nonEmpty(item['User Name (IAM or Root)']);
  const root = name !== undefined && ROOT_NAMES.test(name);
  const found: ExposedKeyCase = {
    caseId: caseIdOf(envelope.account, accessKeyId),
    accessKeyId,
    root,
    reportedBy: 'trusted-advisor',
    rehearsal,
    keyPointer: '/detail/check-item-detail/Access Key ID',
  };
  if (name && !root) found.userName = name;
  assignDefined(found, {
    account: envelope.account,
    eventId: envelope.id,
    eventTime: envelope.time,
    region: envelope.region,
    exposedAt: nonEmpty(item.Location),
    supportCaseId: nonEmpty(item['Case ID']),
    fraudType: nonEmpty(item['Fraud Type']),
  });
  const updated = epochMsToIso(nonEmpty(item['Time Updated']));
  if (updated && !found.eventTime) found.eventTime = updated;
  return { ok: true as const, case: found };
};

const fromHealth = (envelope: z.infer<typeof EnvelopeSchema>, base: BadEvent, rehearsal: boolean) => {
  const parsed = HealthDetailSchema.safeParse(envelope.detail);
  if (!parsed.success) return bad(base, `malformed AWS Health detail: ${issuesText(parsed.error, 'detail')}`);
  const detail = parsed.data;
  if (!CREDENTIAL_EVENT_CODES.includes(detail.eventTypeCode)) {
    return bad(
      base,
      `unknown AWS Health event type "${detail.eventTypeCode}": keywarden responds to ${CREDENTIAL_EVENT_CODES.join(', ')}`,
    );
  }
  const metadata = detail.eventMetadata ?? {};
  const entities = [
    ...new Set((detail.affectedEntities ?? []).map((e) => e.entityValue.trim()).filter((v) => v !== '')),
  ];
  const fromMetadata = nonEmpty(metadata.publicKey);
  if (!fromMetadata && entities.length > 1) {
    return bad(
      base,
      `detail/affectedEntities names ${entities.length} access keys (${entities.join(', ')}): respond to each key with its own event (keywarden respond exposed-key)`,
    );
  }
  const accessKeyId = fromMetadata ?? entities[0];
  const where = fromMetadata ? 'detail/eventMetadata/publicKey' : 'detail/affectedEntities/0/entityValue';
  const withKey = accessKeyId ? { ...base, accessKeyId } : base;
  const problem = keyIdProblem(accessKeyId, where);
  if (problem || !accessKeyId) return bad(withKey, problem ?? 'no access key id');
  const account = nonEmpty(metadata.accountId) ?? envelope.account;
  const name = nonEmpty(metadata.userName);
  const root = name !== undefined && ROOT_NAMES.test(name);
  const found: ExposedKeyCase = {
    caseId: caseIdOf(account, accessKeyId),
    accessKeyId,
    root,
    reportedBy: 'health',
    rehearsal,
    keyPointer: `/${where}`,
    healthEventArn: detail.eventArn,
    eventTypeCode: detail.eventTypeCode,
  };
  if (name && !root) found.userName = name;
  assignDefined(found, {
    account,
    eventId: envelope.id,
    eventTime: envelope.time,
    region: envelope.region,
    exposedAt: nonEmpty(metadata.exposedUrl),
    description: nonEmpty(detail.eventDescription?.[0]?.latestDescription),
  });
  return { ok: true as const, case: found };
};

function assignDefined(target: ExposedKeyCase, values: Partial<Record<keyof ExposedKeyCase, string | undefined>>) {
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) (target as unknown as Record<string, unknown>)[key] = value;
  }
}

const bad = (base: BadEvent, reason: string) => ({ ok: false as const, problem: { ...base, reason } });

/** Validate an event and open its case, or say what is wrong with it. Never throws. */
export const parseExposedKeyEvent = (input: unknown): ExposureParse => {
  const unwrapped = unwrapPutEvents(input);
  if (!unwrapped.ok) return { ok: false, problem: { reason: unwrapped.reason } };
  const envelope = EnvelopeSchema.safeParse(unwrapped.event);
  if (!envelope.success) {
    return {
      ok: false,
      problem: {
        reason: `not an EventBridge event (${issuesText(envelope.error, '')}): give the event as EventBridge delivers it, with source, detail-type and detail`,
      },
    };
  }
  const event = envelope.data;
  const base: BadEvent = { reason: '', source: event.source, detailType: event['detail-type'] };
  if (event.id) base.eventId = event.id;
  if (event.account) base.account = event.account;
  const rehearsal = event.source === REHEARSAL_SOURCE;
  const isTrustedAdvisor = event['detail-type'] === TRUSTED_ADVISOR_DETAIL_TYPE;
  const isHealth = event['detail-type'] === HEALTH_DETAIL_TYPE;
  if (!EVENT_SOURCES.includes(event.source)) {
    return bad(base, `unknown event source "${event.source}": keywarden responds to ${EVENT_SOURCES.join(', ')}`);
  }
  if (isTrustedAdvisor && (event.source === TRUSTED_ADVISOR_SOURCE || rehearsal)) {
    return fromTrustedAdvisor(event, base, rehearsal);
  }
  if (isHealth && (event.source === HEALTH_SOURCE || rehearsal)) return fromHealth(event, base, rehearsal);
  return bad(
    base,
    `unexpected detail-type "${event['detail-type']}" for source ${event.source}: expected "${TRUSTED_ADVISOR_DETAIL_TYPE}" (aws.trustedadvisor) or "${HEALTH_DETAIL_TYPE}" (aws.health)`,
  );
};
