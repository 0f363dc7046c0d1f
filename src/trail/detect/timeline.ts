/**
 * Key timeline: every event for one key, in order. Changes (policy, grants, state, aliases) are listed one by one;
 * cryptographic use and reads are grouped by principal, account and operation so a busy key stays readable. Flags reuse
 * the exposure replay, outsider and ransom detections, narrowed to this key.
 */
import type { CloudTrailEvent } from './event';
import { exposuresInvestigation } from './exposures';
import { callerAccount, isFailed, KMS_CRYPTO_OPERATIONS, keyArnsOf, keyIdOf } from './fields';
import { byTime, type Count, Counter, type EventRef, eventRef, type Flag, type Investigation } from './investigation';
import type { JudgePolicy, PolicyReach } from './judge';
import { outsiderKeys, outsidersInvestigation } from './outsiders';
import { type RansomOptions, ransomInvestigation } from './ransom';

export type TimelineCategory = 'policy' | 'grant' | 'state' | 'alias' | 'read' | 'use' | 'other';

const CATEGORIES: Record<string, TimelineCategory> = {
  PutKeyPolicy: 'policy',
  CreateGrant: 'grant',
  RevokeGrant: 'grant',
  RetireGrant: 'grant',
  CreateAlias: 'alias',
  UpdateAlias: 'alias',
  DeleteAlias: 'alias',
};
const STATE_CHANGES = [
  'CreateKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
  'DisableKey',
  'EnableKey',
  'DeleteKey',
  'EnableKeyRotation',
  'DisableKeyRotation',
  'RotateKey',
  'RotateKeyOnDemand',
  'ImportKeyMaterial',
  'DeleteImportedKeyMaterial',
  'DeleteExpiredKeyMaterial',
  'ReplicateKey',
  'UpdatePrimaryRegion',
  'SynchronizeMultiRegionKey',
  'UpdateKeyDescription',
  'TagResource',
  'UntagResource',
];
for (const name of STATE_CHANGES) CATEGORIES[name] = 'state';

export const categoryOf = (eventName: string): TimelineCategory => {
  if (KMS_CRYPTO_OPERATIONS.has(eventName)) return 'use';
  const category = CATEGORIES[eventName];
  if (category) return category;
  return /^(Describe|Get|List)/.test(eventName) ? 'read' : 'other';
};

export interface TimelineEntry extends EventRef {
  category: TimelineCategory;
  /** For policy changes: the engine's verdict on the policy set. */
  reach?: PolicyReach;
}

export interface UsageGroup {
  category: 'use' | 'read';
  principal: string;
  account?: string;
  operation: string;
  calls: number;
  failedCalls: number;
  first: string;
  last: string;
  outsider: boolean;
}

export interface KeyTimelineResult {
  subject: string;
  /** The key ARNs matched (one key may appear under its ARN in several regions if multi-Region). */
  keyArns: string[];
  events: number;
  entries: TimelineEntry[];
  usage: UsageGroup[];
  accounts: Count[];
  flags: Flag[];
}

export interface KeyTimelineOptions {
  judgePolicy: JudgePolicy;
  trustedAccounts?: string[];
  ransom?: Partial<RansomOptions>;
}

/** True when an event touches the key named by `subject` (a key ARN or a key id). */
export const touchesKey = (event: CloudTrailEvent, subject: string): boolean => {
  const wanted = keyIdOf(subject) ?? subject;
  return keyArnsOf(event).some((arn) => arn === subject || keyIdOf(arn) === wanted);
};

export const keyTimelineInvestigation = (
  subject: string,
  options: KeyTimelineOptions,
): Investigation<KeyTimelineResult> => {
  const exposures = exposuresInvestigation(options.judgePolicy);
  const outsiders = outsidersInvestigation({ trustedAccounts: options.trustedAccounts ?? [] });
  const ransom = ransomInvestigation(options.ransom ?? {});
  const trusted = new Set(options.trustedAccounts ?? []);
  const entries: TimelineEntry[] = [];
  const usage = new Map<string, UsageGroup>();
  const accounts = new Counter();
  const keyArns = new Set<string>();
  let events = 0;
  return {
    add(event) {
      ransom.add(event);
      if (!touchesKey(event, subject)) return;
      events++;
      for (const arn of keyArnsOf(event)) if (touchesKeyArn(arn, subject)) keyArns.add(arn);
      exposures.add(event);
      outsiders.add(event);
      const ref = eventRef(event);
      accounts.add(callerAccount(event));
      const category = categoryOf(event.eventName);
      if (category !== 'use' && category !== 'read') {
        entries.push({ ...ref, category });
        return;
      }
      const group = `${ref.principal}\u0000${ref.account ?? ''}\u0000${event.eventName}`;
      const existing = usage.get(group);
      const failed = isFailed(event) ? 1 : 0;
      if (existing) {
        existing.calls += 1 - failed;
        existing.failedCalls += failed;
        if (ref.time < existing.first) existing.first = ref.time;
        if (ref.time > existing.last) existing.last = ref.time;
      } else {
        usage.set(group, {
          category,
          principal: ref.principal,
          ...(ref.account ? { account: ref.account } : {}),
          operation: event.eventName,
          calls: 1 - failed,
          failedCalls: failed,
          first: ref.time,
          last: ref.time,
          outsider: category === 'use' && outsiderKeys(event, trusted).length > 0,
        });
      }
    },
    finish() {
      const exposure = exposures.finish();
      const reachByEvent = new Map(exposure.changes.map((change) => [change.eventID ?? change.time, change.reach]));
      for (const entry of entries) {
        const reach = reachByEvent.get(entry.eventID ?? entry.time);
        if (entry.category === 'policy' && reach) entry.reach = reach;
      }
      entries.sort(byTime);
      const ransomFlags = ransom
        .finish()
        .incidents.filter((incident) => incident.keys.some((key) => touchesKeyArn(key, subject)))
        .map(
          (incident): Flag => ({
            severity: 'critical',
            title: `part of a ransom pattern: ${incident.principal} disabled, scheduled for deletion or locked out ${incident.keys.length} keys between ${incident.first} and ${incident.last}`,
            time: incident.first,
            principal: incident.principal,
          }),
        );
      const flags = [...exposure.flags, ...outsiders.finish().flags, ...ransomFlags].sort((a, b) =>
        (a.time ?? '') < (b.time ?? '') ? -1 : 1,
      );
      return {
        subject,
        keyArns: [...keyArns].sort(),
        events,
        entries,
        usage: [...usage.values()].sort((a, b) => b.calls - a.calls || (a.principal < b.principal ? -1 : 1)),
        accounts: accounts.top(),
        flags,
      };
    },
  };
};

const touchesKeyArn = (arn: string, subject: string): boolean =>
  arn === subject || (keyIdOf(arn) !== undefined && keyIdOf(arn) === (keyIdOf(subject) ?? subject));
