/**
 * Exposure replay: every key policy change and grant in the window, each policy judged by the injected engine, and
 * the periods each key was public or open to another account, so "the key was public from 10:15 to 10:16" shows
 * even when the change was reverted a minute later. Endgame-style, lockout and bypass changes are marked.
 */
import type { CloudTrailEvent } from './event';
import { accountOfArn, callerAccount, isFailed, isKmsEvent, keyAccountOf, keyArnsOf } from './fields';
import { byTime, type EventRef, eventRef, type Flag, type Investigation } from './investigation';
import { type JudgePolicy, judgeSafely, type PolicyJudgementFinding, type PolicyReach } from './judge';
import { bypassesLockoutCheck, endgameSignatures, locksOutOwnAccount, POLICY_EVENTS } from './key-policy-signals';
import { policyInEvent } from './policy-text';
import { matchAttackTool } from './user-agents';

export interface GrantDetails {
  grantId?: string;
  grantee?: string;
  retiringPrincipal?: string;
  operations: string[];
  constraints?: unknown;
}

export interface KeyChange extends EventRef {
  kind: 'policy' | 'grant';
  key: string;
  keyAccount?: string;
  failed: boolean;
  reach: PolicyReach;
  findings: PolicyJudgementFinding[];
  /** Why the policy could not be judged: not valid JSON, or the engine's error. */
  policyError?: string;
  /** Endgame, lockout, bypass of the lockout safety check, attack-tool user agent. */
  marks: string[];
  grant?: GrantDetails;
}

export interface ExposurePeriod {
  key: string;
  reach: 'public' | 'cross-account';
  kind: 'policy' | 'grant';
  from: string;
  /** When a later change ended it; absent when it was still in effect at the end of the events read. */
  until?: string;
  setBy: string;
  endedBy?: string;
  eventID?: string;
}

export interface ExposuresResult {
  changes: KeyChange[];
  periods: ExposurePeriod[];
  /** Policies in events that were not valid JSON (counted, reported, never fatal). */
  invalidPolicies: number;
  /** Policies the engine could not judge. */
  unjudgedPolicies: number;
  flags: Flag[];
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

const GRANT_ENDINGS: ReadonlySet<string> = new Set(['RevokeGrant', 'RetireGrant']);

const grantReach = (grantee: string | undefined, keyAccount: string | undefined): PolicyReach => {
  const granteeAccount = grantee ? accountOfArn(grantee) : undefined;
  if (!granteeAccount || !keyAccount) return 'unknown';
  return granteeAccount === keyAccount ? 'internal' : 'cross-account';
};

const keyOf = (event: CloudTrailEvent): string =>
  keyArnsOf(event)[0] ?? str(event.requestParameters?.keyId) ?? str(event.responseElements?.keyId) ?? 'unknown key';

export const exposuresInvestigation = (judgePolicy: JudgePolicy): Investigation<ExposuresResult> => {
  const changes: KeyChange[] = [];
  const grantEnds = new Map<string, EventRef>();
  let invalidPolicies = 0;
  let unjudgedPolicies = 0;

  const marksOf = (event: CloudTrailEvent): string[] => {
    const marks = endgameSignatures(event).map((signature) => `Endgame signature: ${signature}`);
    if (bypassesLockoutCheck(event)) marks.push('BypassPolicyLockoutSafetyCheck=true');
    if (locksOutOwnAccount(event)) marks.push("locks the key's own account out of kms:PutKeyPolicy");
    const tool = matchAttackTool(event.userAgent);
    if (tool && tool.tool !== 'Endgame') marks.push(`${tool.tool} user agent`);
    return marks;
  };

  return {
    add(event) {
      if (!isKmsEvent(event)) return;
      if (GRANT_ENDINGS.has(event.eventName) && !isFailed(event)) {
        const grantId = str(event.requestParameters?.grantId);
        if (grantId) grantEnds.set(grantId, eventRef(event));
        return;
      }
      const isPolicy = POLICY_EVENTS.has(event.eventName);
      if (!isPolicy && event.eventName !== 'CreateGrant') return;
      const key = keyOf(event);
      const keyAccount = keyAccountOf(key) ?? event.recipientAccountId ?? callerAccount(event);
      const change: KeyChange = {
        ...eventRef(event),
        kind: isPolicy ? 'policy' : 'grant',
        key,
        failed: isFailed(event),
        reach: 'unknown',
        findings: [],
        marks: marksOf(event),
      };
      if (keyAccount) change.keyAccount = keyAccount;
      if (isPolicy) {
        const policy = policyInEvent(event);
        if (!policy.present) return; // CreateKey with the default policy: nothing to judge
        if ('error' in policy) {
          invalidPolicies++;
          change.policyError = `policy ${policy.error}`;
        } else {
          const judgement = judgeSafely(judgePolicy, policy.text, keyAccount ?? '');
          change.reach = judgement.reach;
          change.findings = judgement.findings;
          if (judgement.error) {
            unjudgedPolicies++;
            change.policyError = judgement.error;
          } else if (!keyAccount && judgement.reach !== 'public') {
            // Public is public whoever owns the key; cross-account and internal need the owner.
            unjudgedPolicies++;
            change.reach = 'unknown';
            change.policyError = 'the key account is not in the event: cannot tell cross-account from internal';
          }
        }
      } else {
        const request = event.requestParameters ?? {};
        const grant: GrantDetails = { operations: strings(request.operations) };
        const grantId = str(event.responseElements?.grantId);
        if (grantId) grant.grantId = grantId;
        const grantee = str(request.granteePrincipal);
        if (grantee) grant.grantee = grantee;
        const retiring = str(request.retiringPrincipal);
        if (retiring) grant.retiringPrincipal = retiring;
        if (request.constraints !== undefined && request.constraints !== null) grant.constraints = request.constraints;
        change.grant = grant;
        change.reach = grantReach(grantee, keyAccount);
      }
      changes.push(change);
    },
    finish() {
      changes.sort(byTime);
      const periods: ExposurePeriod[] = [];
      const policyChanges = new Map<string, KeyChange[]>();
      for (const change of changes) {
        if (change.failed) continue;
        if (change.kind === 'policy') policyChanges.set(change.key, [...(policyChanges.get(change.key) ?? []), change]);
        else if (change.reach === 'cross-account') {
          const ended = change.grant?.grantId ? grantEnds.get(change.grant.grantId) : undefined;
          periods.push({
            key: change.key,
            reach: 'cross-account',
            kind: 'grant',
            from: change.time,
            ...(ended ? { until: ended.time, endedBy: ended.caller } : {}),
            setBy: change.caller,
            ...(change.eventID ? { eventID: change.eventID } : {}),
          });
        }
      }
      for (const list of policyChanges.values()) {
        list.forEach((change, index) => {
          if (change.reach !== 'public' && change.reach !== 'cross-account') return;
          const next = list[index + 1];
          periods.push({
            key: change.key,
            reach: change.reach,
            kind: 'policy',
            from: change.time,
            ...(next ? { until: next.time, endedBy: next.caller } : {}),
            setBy: change.caller,
            ...(change.eventID ? { eventID: change.eventID } : {}),
          });
        });
      }
      periods.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.key < b.key ? -1 : 1));
      return { changes, periods, invalidPolicies, unjudgedPolicies, flags: exposureFlags(changes, periods) };
    },
  };
};

const exposureFlags = (changes: KeyChange[], periods: ExposurePeriod[]): Flag[] => {
  const flags: Flag[] = periods.map((period) => ({
    severity: period.reach === 'public' ? 'critical' : 'high',
    title: `${period.key} was ${period.reach === 'public' ? 'public' : 'open to another account'} (${period.kind}) from ${period.from} ${period.until ? `to ${period.until}` : 'until the end of the events read'}, set by ${period.setBy}`,
    time: period.from,
    key: period.key,
    principal: period.setBy,
    ...(period.eventID ? { eventID: period.eventID } : {}),
  }));
  for (const change of changes) {
    const serious = change.findings.filter((f) => f.severity === 'critical' || f.severity === 'high');
    const notes = [...change.marks, ...serious.map((f) => `${f.rule}: ${f.title}`)];
    if (change.failed && (change.reach === 'public' || change.reach === 'cross-account')) {
      notes.push(`a failed attempt (${change.errorCode}) to make the key ${change.reach}`);
    }
    if (notes.length === 0) continue;
    flags.push({
      severity: change.failed
        ? 'medium'
        : change.marks.some((m) => m.startsWith('Endgame') || m.startsWith('locks'))
          ? 'critical'
          : 'high',
      title: `${change.eventName} on ${change.key} by ${change.caller}: ${notes.join('; ')}`,
      time: change.time,
      key: change.key,
      principal: change.caller,
      ...(change.eventID ? { eventID: change.eventID } : {}),
    });
  }
  return flags.sort((a, b) => ((a.time ?? '') < (b.time ?? '') ? -1 : 1));
};
