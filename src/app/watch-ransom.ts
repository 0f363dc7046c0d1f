/**
 * The ransom pattern in the live watch: each successful ScheduleKeyDeletion, DisableKey or lockout policy is kept in
 * the store as a step of its principal, and the detection of src/trail/detect/ransom.ts (the one definition, which
 * the CloudTrail investigation also uses) runs over that principal's recent steps. Steps are kept in the store's
 * append-only, idempotent log (`recordAction`, target `watch:principal:<ARN>`, outcome `skipped`: keywarden only
 * observed it), so every Lambda instance sees the same steps, duplicates count once and order does not matter.
 */
import { fingerprint } from '../findings/fingerprint';
import type { Finding } from '../findings/types';
import type { Store } from '../store/store';
import type { CloudTrailEvent } from '../trail/detect/event';
import { eventTimeMs } from '../trail/detect/event';
import { actingPrincipal } from '../trail/detect/fields';
import { DEFAULT_RANSOM_OPTIONS, detectRansom, type RansomOptions, ransomActionOf } from '../trail/detect/ransom';
import { detectionFinding } from './watch-detections';

/** Steps of one principal read back per event: more than any window needs. */
const STEPS_READ = 500;

export const ransomTargetOf = (principal: string): string => `watch:principal:${principal}`;

export interface RansomAlert {
  finding: Finding;
  /** The alert id: the pattern plus the time of its first step, so the incident is alerted once. */
  id: string;
  keys: string[];
}

interface StepDetail {
  key: string;
  eventName: string;
  eventID?: string;
  lockout: boolean;
}

/**
 * Records the event's ransom step (if it is one) and returns the incident it completes or extends, if any.
 * `lockout` is the engine's verdict on the policy the event set (lockout-risk), or the detection module's.
 */
export async function ransomCheck(
  store: Store,
  event: CloudTrailEvent,
  keyArn: string | undefined,
  lockout: boolean,
  options: Partial<RansomOptions> = {},
): Promise<RansomAlert | undefined> {
  const settings: RansomOptions = { ...DEFAULT_RANSOM_OPTIONS, ...options };
  const action = ransomActionOf(event, () => lockout);
  if (!action) return undefined;
  const principal = actingPrincipal(event);
  const target = ransomTargetOf(principal);
  const key = keyArn ?? String(event.requestParameters?.keyId ?? 'unknown key');
  const eventId = event.eventID ?? `${event.eventTime}/${event.eventName}/${key}`;
  const detail: StepDetail = { key, eventName: event.eventName, eventID: eventId, lockout };
  await store.recordAction({
    idempotencyKey: `watch:ransom-step:${eventId}`,
    at: new Date(eventTimeMs(event.eventTime)).toISOString(),
    action: `observed ${action}`,
    target,
    outcome: 'skipped',
    actor: principal,
    detail,
  });

  const windowMs = settings.windowMinutes * 60_000;
  const eventMs = eventTimeMs(event.eventTime);
  const steps = (await store.listActions({ target, limit: STEPS_READ })).filter(
    (step) => Math.abs(Date.parse(step.at) - eventMs) <= windowMs,
  );
  const lockouts = new Set<string>();
  const events: CloudTrailEvent[] = steps.map((step) => {
    const d = step.detail as StepDetail;
    if (d.lockout) lockouts.add(d.eventID ?? '');
    return {
      eventTime: step.at,
      eventSource: 'kms.amazonaws.com',
      eventName: d.eventName,
      eventID: d.eventID,
      userIdentity: { arn: principal },
      resources: [{ ARN: d.key, type: 'AWS::KMS::Key' }],
    };
  });
  const incident = detectRansom(events, {
    threshold: settings.threshold,
    windowMinutes: settings.windowMinutes,
    isLockout: (e) => lockouts.has(e.eventID ?? ''),
  }).find((found) => found.steps.some((step) => step.eventID === eventId));
  if (!incident) return undefined;

  const counts = Object.entries(incident.actions)
    .map(([what, n]) => `${what} x${n}`)
    .join(', ');
  const finding = detectionFinding('ransom-pattern', event, principal, {
    title: `${principal} disabled, scheduled for deletion or locked out ${incident.keys.length} keys within ${settings.windowMinutes} minutes`,
    explanation: `Between ${incident.first} and ${incident.last}, ${principal} made ${counts} on ${incident.keys.length} keys: ${incident.keys.join(', ')}. This is the pattern of ransomware making data unreadable (threshold ${settings.threshold} keys in ${settings.windowMinutes} minutes).`,
    pointer: '/userIdentity',
    principal,
  });
  // One pattern per principal, whatever event completed it.
  finding.id = fingerprint({ rule: 'ransom-pattern', resource: principal });
  return { finding, id: `${finding.id}@${incident.first}`, keys: incident.keys };
}
