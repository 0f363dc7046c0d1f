/**
 * What one access key (or one IAM user) did: the summary the exposed-key response sends to a human. Follows the
 * temporary credentials the key minted, so activity through an assumed role is not missed, and has no event limit.
 */
import { type MintedCredential, mintedCredential } from './credentials';
import type { CloudTrailEvent } from './event';
import { isFailed, resourceArn } from './fields';
import { byTime, type Count, Counter, type EventRef, eventRef, type Flag, type Investigation } from './investigation';
import { matchAttackTool } from './user-agents';

/** Calls worth a human's attention in a leaked key's activity, with why. */
export const SUSPICIOUS_CALLS: Readonly<Record<string, string>> = {
  AssumeRole: 'minted role credentials that outlive the key',
  GetSessionToken: 'minted session credentials that outlive the key',
  GetFederationToken: 'minted federated credentials that outlive the key',
  CreateUser: 'created an IAM user (a foothold)',
  CreateAccessKey: 'created an access key (a foothold)',
  CreateLoginProfile: 'gave a user a console password (a foothold)',
  UpdateLoginProfile: "changed a user's console password",
  AttachUserPolicy: 'attached a policy to a user (privilege escalation)',
  PutUserPolicy: 'wrote an inline user policy (privilege escalation)',
  AttachRolePolicy: 'attached a policy to a role (privilege escalation)',
  PutRolePolicy: 'wrote an inline role policy (privilege escalation)',
  AttachGroupPolicy: 'attached a policy to a group (privilege escalation)',
  PutGroupPolicy: 'wrote an inline group policy (privilege escalation)',
  AddUserToGroup: 'added a user to a group',
  UpdateAssumeRolePolicy: "changed a role's trust policy",
  CreatePolicyVersion: 'changed a managed policy',
  PutKeyPolicy: 'changed a KMS key policy',
  CreateGrant: 'granted use of a KMS key',
  ScheduleKeyDeletion: 'scheduled a KMS key for deletion',
  DisableKey: 'disabled a KMS key',
  StopLogging: 'stopped CloudTrail logging',
  DeleteTrail: 'deleted a CloudTrail trail',
  UpdateTrail: 'changed a CloudTrail trail',
  PutEventSelectors: 'changed what CloudTrail records',
  DeleteDetector: 'deleted a GuardDuty detector',
};

const ACCESS_KEY_ID = /^(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}$/;

export const isAccessKeyId = (value: string): boolean => ACCESS_KEY_ID.test(value);

export interface SuspiciousCall extends EventRef {
  reason: string;
}

export interface AccessKeyResult {
  subject: string;
  subjectKind: 'access-key' | 'user';
  /** The subject's keys and the temporary keys followed from it. */
  accessKeyIds: string[];
  events: number;
  failedEvents: number;
  firstSeen?: string;
  lastSeen?: string;
  eventNames: Count[];
  resources: Count[];
  resourceTypes: Count[];
  sourceIPs: Count[];
  userAgents: Count[];
  regions: Count[];
  errorCodes: Count[];
  principals: Count[];
  minted: MintedCredential[];
  suspicious: SuspiciousCall[];
  attackTools: Array<{ tool: string; userAgent: string; count: number }>;
  flags: Flag[];
}

export interface AccessKeyInvestigation extends Investigation<AccessKeyResult> {
  /** Access key ids whose events belong to the subject (the subject itself and the credentials it minted). */
  trackedAccessKeyIds(): string[];
}

/** Request parameters that name the resource an IAM/STS/KMS/EC2/S3 call acted on. */
const NAMED_PARAMETERS = ['userName', 'roleArn', 'roleName', 'policyArn', 'keyId', 'bucketName', 'groupName', 'name'];

export const accessKeyInvestigation = (subject: string): AccessKeyInvestigation => {
  const subjectKind = isAccessKeyId(subject) ? 'access-key' : 'user';
  const tracked = new Set<string>(subjectKind === 'access-key' ? [subject] : []);
  const seen = new Set<string>();
  const refs: EventRef[] = [];
  const minted = new Map<string, MintedCredential>();
  const counters = {
    eventNames: new Counter(),
    resources: new Counter(),
    resourceTypes: new Counter(),
    sourceIPs: new Counter(),
    userAgents: new Counter(),
    regions: new Counter(),
    errorCodes: new Counter(),
    principals: new Counter(),
  };
  const tools = new Map<string, { tool: string; userAgent: string; count: number }>();
  let failedEvents = 0;

  const belongs = (event: CloudTrailEvent): boolean => {
    const keyId = event.userIdentity?.accessKeyId;
    if (keyId && tracked.has(keyId)) return true;
    return subjectKind === 'user' && event.userIdentity?.type === 'IAMUser' && event.userIdentity.userName === subject;
  };

  return {
    trackedAccessKeyIds: () => [...tracked].sort(),
    add(event) {
      if (!belongs(event)) return;
      const id = event.eventID ?? `${event.eventTime}/${event.eventName}/${event.userIdentity?.accessKeyId ?? ''}`;
      if (seen.has(id)) return;
      seen.add(id);
      const ref = eventRef(event);
      refs.push(ref);
      if (subjectKind === 'user' && event.userIdentity?.accessKeyId?.startsWith('AKIA')) {
        tracked.add(event.userIdentity.accessKeyId);
      }
      if (isFailed(event)) failedEvents++;
      counters.eventNames.add(event.eventName);
      counters.sourceIPs.add(event.sourceIPAddress);
      counters.userAgents.add(event.userAgent);
      counters.regions.add(event.awsRegion);
      counters.errorCodes.add(event.errorCode);
      counters.principals.add(ref.caller);
      for (const resource of event.resources ?? []) {
        counters.resources.add(resourceArn(resource));
        counters.resourceTypes.add(resource.type);
      }
      if (!event.resources?.length) {
        for (const name of NAMED_PARAMETERS) {
          const value = event.requestParameters?.[name];
          if (typeof value === 'string') counters.resources.add(value);
        }
      }
      const tool = matchAttackTool(event.userAgent);
      if (tool && event.userAgent) {
        const entry = tools.get(event.userAgent) ?? { tool: tool.tool, userAgent: event.userAgent, count: 0 };
        entry.count++;
        tools.set(event.userAgent, entry);
      }
      const credential = mintedCredential(event);
      if (credential && !minted.has(credential.accessKeyId)) {
        minted.set(credential.accessKeyId, credential);
        tracked.add(credential.accessKeyId);
      }
    },
    finish() {
      refs.sort(byTime);
      const suspicious: SuspiciousCall[] = [];
      const regionsUsed = new Set<string>();
      for (const ref of refs) {
        const reason = SUSPICIOUS_CALLS[ref.eventName];
        const tool = matchAttackTool(ref.userAgent);
        if (reason) suspicious.push({ ...ref, reason });
        else if (ref.eventName === 'RunInstances' && ref.region && !regionsUsed.has(ref.region)) {
          suspicious.push({
            ...ref,
            reason: `launched instances in ${ref.region}, a region this key had not used before`,
          });
        } else if (tool) suspicious.push({ ...ref, reason: `called with the user agent of ${tool.tool}` });
        if (ref.region) regionsUsed.add(ref.region);
      }
      const byReason = new Map<string, SuspiciousCall[]>();
      for (const call of suspicious) byReason.set(call.reason, [...(byReason.get(call.reason) ?? []), call]);
      const flags: Flag[] = [...byReason.entries()].map(([reason, calls]) => ({
        severity: calls.some((call) => !call.errorCode) ? 'high' : 'medium',
        title: `${subject} ${reason}: ${calls.length} call${calls.length === 1 ? '' : 's'}${calls.every((call) => call.errorCode) ? ' (all failed)' : ''}`,
        time: calls[0]?.time,
        principal: calls[0]?.caller,
        eventID: calls[0]?.eventID,
      }));
      for (const entry of tools.values()) {
        flags.push({
          severity: 'high',
          title: `${entry.tool} user agent on ${entry.count} call(s): "${entry.userAgent}"`,
        });
      }
      return {
        subject,
        subjectKind,
        accessKeyIds: [...tracked].sort(),
        events: refs.length,
        failedEvents,
        firstSeen: refs[0]?.time,
        lastSeen: refs[refs.length - 1]?.time,
        eventNames: counters.eventNames.top(),
        resources: counters.resources.top(),
        resourceTypes: counters.resourceTypes.top(),
        sourceIPs: counters.sourceIPs.top(),
        userAgents: counters.userAgents.top(),
        regions: counters.regions.top(),
        errorCodes: counters.errorCodes.top(),
        principals: counters.principals.top(),
        minted: [...minted.values()].sort(byTime),
        suspicious,
        attackTools: [...tools.values()],
        flags,
      };
    },
  };
};
