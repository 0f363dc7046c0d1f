/**
 * Attack signals in one event, as findings the watch reports and alerts on beside the key's rule findings: a refused
 * attempt to change a key, a key policy set with the lockout safety check bypassed, a known attack tool's user agent
 * or Endgame's statement ids, and the ransom pattern (watch-ransom.ts). The signals themselves are defined once in
 * src/trail/detect, which the CloudTrail investigation also uses.
 */
import { fingerprint } from '../findings/fingerprint';
import type { Finding, Severity } from '../findings/types';
import type { RuleDoc } from '../sinks/format/sarif-rules';
import type { CloudTrailEvent } from '../trail/detect/event';
import { actingPrincipal, callerArn, isFailed } from '../trail/detect/fields';
import { bypassesLockoutCheck, endgameSignatures } from '../trail/detect/key-policy-signals';
import { matchAttackTool } from '../trail/detect/user-agents';

export type DetectionId = 'attempt-denied' | 'lockout-check-bypassed' | 'attack-tool' | 'ransom-pattern';

const REFERENCES = {
  trail: 'https://docs.aws.amazon.com/kms/latest/developerguide/logging-using-cloudtrail.html',
  lockout: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html',
  endgame: 'https://github.com/salesforce/endgame',
  ransom: 'https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html',
};

/** The watch's own signals, documented like rules (SARIF descriptors, docs/watch.md). */
export const DETECTIONS: readonly (RuleDoc & { id: DetectionId })[] = [
  {
    id: 'attempt-denied',
    title: 'Someone tried to change a key and was refused',
    severity: 'high',
    docs: {
      why: 'A refused PutKeyPolicy, CreateGrant, ScheduleKeyDeletion or DisableKey is someone trying to do it: a stolen credential probing, or a person without the right permissions.',
      fix: 'Find out who the caller is and why they tried; if the credential is not theirs, disable it.',
      references: [REFERENCES.trail],
    },
  },
  {
    id: 'lockout-check-bypassed',
    title: 'Key policy set with the lockout safety check bypassed',
    severity: 'high',
    docs: {
      why: 'BypassPolicyLockoutSafetyCheck tells KMS to accept a policy that can make the key unmanageable; ransomware uses it to lock owners out.',
      fix: 'Check that the account can still manage the key; restore the previous policy (keywarden fix --restore) if not intended.',
      references: [REFERENCES.lockout],
    },
  },
  {
    id: 'attack-tool',
    title: 'Key changed by a known attack tool',
    severity: 'high',
    docs: {
      why: "The call's user agent or the statement ids it wrote match a known attack or penetration-testing tool (Endgame, Pacu, Kali...).",
      fix: 'Treat the credential as compromised unless this was an authorised test; revert the change.',
      references: [REFERENCES.endgame],
    },
  },
  {
    id: 'ransom-pattern',
    title: 'One principal disabled, scheduled for deletion or locked out several keys',
    severity: 'critical',
    docs: {
      why: 'Disabling, deleting or locking out many keys in minutes is how ransomware makes data unreadable.',
      fix: 'Disable the principal, cancel the deletions (aws kms cancel-key-deletion) and enable the keys again.',
      references: [REFERENCES.ransom],
    },
  },
];

const docOf = (id: DetectionId) => DETECTIONS.find((d) => d.id === id)!;

const DENIED = /AccessDenied|Unauthorized|NotAuthorized|Forbidden/i;

export interface DetectionInput {
  event: CloudTrailEvent;
  keyArn?: string;
  /** Titles of the critical and high findings the attempted change would have caused (failed events). */
  attemptedFindings?: string[];
}

/** A detection as a finding: id from the signal, key, principal and call; evidence points into the event. */
export function detectionFinding(
  id: DetectionId,
  event: CloudTrailEvent,
  resource: string,
  details: { title: string; explanation: string; pointer: string; severity?: Severity; principal?: string },
): Finding {
  const doc = docOf(id);
  const principal = details.principal ?? actingPrincipal(event);
  return {
    id: fingerprint({ rule: id, resource, principal, actionClass: event.eventName }),
    rule: id,
    severity: details.severity ?? doc.severity,
    status: 'fail',
    resource,
    title: details.title,
    explanation: details.explanation,
    evidence: { pointer: details.pointer },
    example: { principal: callerArn(event), action: `kms:${event.eventName}` },
    remediation: { summary: doc.docs.fix },
    principal,
    actionClass: event.eventName,
  };
}

/** The signals of one event (not the ransom pattern, which needs the principal's recent events). */
export function eventDetections({ event, keyArn, attemptedFindings = [] }: DetectionInput): Finding[] {
  const resource = keyArn ?? 'unknown key';
  const who = callerArn(event);
  const found: Finding[] = [];
  if (isFailed(event) && DENIED.test(event.errorCode ?? '')) {
    const would = attemptedFindings.length > 0 ? ` The change would have caused: ${attemptedFindings.join('; ')}.` : '';
    found.push(
      detectionFinding('attempt-denied', event, resource, {
        title: `${event.eventName} refused (${event.errorCode}) for ${who}`,
        explanation: `${who} called ${event.eventName} on ${resource} at ${event.eventTime} and KMS refused it with ${event.errorCode}${event.errorMessage ? ` ("${event.errorMessage}")` : ''}. Nothing changed, but someone tried.${would}`,
        pointer: '/errorCode',
      }),
    );
  }
  if (!isFailed(event) && (bypassesLockoutCheck(event) || bypassesOnReplica(event))) {
    found.push(
      detectionFinding('lockout-check-bypassed', event, resource, {
        title: `${event.eventName} with BypassPolicyLockoutSafetyCheck by ${who}`,
        explanation: `${who} set the key policy of ${resource} at ${event.eventTime} with BypassPolicyLockoutSafetyCheck=true, so KMS did not check that the caller can still manage the key.`,
        pointer: '/requestParameters/bypassPolicyLockoutSafetyCheck',
      }),
    );
  }
  const tool = matchAttackTool(event.userAgent);
  const signatures = endgameSignatures(event).filter((s) => s.startsWith('statement'));
  if (tool || signatures.length > 0) {
    const what = [
      ...(tool ? [`user agent "${event.userAgent}" (${tool.tool}: ${tool.meaning})`] : []),
      ...signatures.map((s) => `Endgame's ${s}`),
    ];
    found.push(
      detectionFinding('attack-tool', event, resource, {
        title: `${event.eventName} by ${tool?.tool ?? 'Endgame'} (${who})`,
        explanation: `${event.eventName} on ${resource} at ${event.eventTime} by ${who} carries the marks of an attack tool: ${what.join('; ')}.${isFailed(event) ? ` The call failed (${event.errorCode}).` : ''}`,
        pointer: tool ? '/userAgent' : '/requestParameters/policy',
        severity: tool?.tool === 'Endgame' || signatures.length > 0 ? 'critical' : 'high',
      }),
    );
  }
  return found;
}

/** ReplicateKey also takes BypassPolicyLockoutSafetyCheck (the detection module reads PutKeyPolicy and CreateKey). */
const bypassesOnReplica = (event: CloudTrailEvent): boolean =>
  event.eventName === 'ReplicateKey' &&
  (event.requestParameters?.bypassPolicyLockoutSafetyCheck === true ||
    event.requestParameters?.bypassPolicyLockoutSafetyCheck === 'true');
