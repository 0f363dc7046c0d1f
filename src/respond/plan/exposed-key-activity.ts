/**
 * The investigation of an exposed key, pure: CloudTrail events come from a function the caller supplies (LookupEvents
 * in every enabled region for the response). Queries by the access key id and by the user name at once, follows the
 * temporary credentials the key minted round by round, and summarises both the key's activity and the user's.
 * The summary is trimmed (top 10 of each count, first 50 suspicious calls) so it fits a Step Functions state.
 */
import { type AccessKeyResult, accessKeyInvestigation } from '../../trail/detect/access-key';
import type { ReadEvents } from '../../trail/detect/run';
import type { TimeWindow } from '../../trail/detect/time';
import { type Foothold, footholdCollector } from './exposed-key-footholds';

export const TOP = 10;
export const MAX_LISTED = 50;
/** Rounds of following credentials minted from minted credentials (role chaining), as `keywarden trail` does. */
const MAX_ROUNDS = 8;

/** One subject's activity, trimmed for a notice: the access-key investigation's counts, with attack tools by name. */
export type ActivitySummary = Pick<
  AccessKeyResult,
  | 'subject'
  | 'accessKeyIds'
  | 'events'
  | 'failedEvents'
  | 'firstSeen'
  | 'lastSeen'
  | 'eventNames'
  | 'resources'
  | 'resourceTypes'
  | 'sourceIPs'
  | 'userAgents'
  | 'regions'
  | 'errorCodes'
  | 'suspicious'
> & {
  /** How many suspicious calls there were before trimming. */
  suspiciousTotal: number;
  attackTools: string[];
};

export interface RoleAssumed {
  roleArn: string;
  times: number;
  first: string;
  last: string;
  /** The session ARNs the credentials act as (at most 5). */
  sessions: string[];
}

/** Credentials minted for the user itself (GetSessionToken, GetFederationToken): they act as the user. */
export interface SessionMinted {
  accessKeyId: string;
  eventName: string;
  time: string;
  region?: string;
}

export interface InvestigationSummary {
  window: { since?: string; until?: string };
  source: string;
  /** Every page of every region was read. When false, `problems` says what was not. */
  complete: boolean;
  problems: string[];
  key: ActivitySummary;
  /** Everything the user did with any of its keys (when the user is known). */
  user?: ActivitySummary;
  rolesAssumed: RoleAssumed[];
  sessions: SessionMinted[];
  footholds: Foothold[];
}

export interface ActivityRun {
  key: AccessKeyResult;
  user?: AccessKeyResult;
  footholds: Foothold[];
}

/** Read the key's (and its user's) events, following minted credentials until no new ones appear. */
export const readKeyActivity = async (
  readEvents: ReadEvents,
  input: { accessKeyId: string; userName?: string; window: TimeWindow },
): Promise<ActivityRun> => {
  const key = accessKeyInvestigation(input.accessKeyId);
  const user = input.userName ? accessKeyInvestigation(input.userName) : undefined;
  const footholds = footholdCollector();
  const queried = new Set<string>();
  let ids = [input.accessKeyId];
  let withUser = input.userName !== undefined;
  for (let round = 0; round < MAX_ROUNDS && ids.length > 0; round++) {
    for (const id of ids) queried.add(id);
    const query = {
      investigation: 'access-key' as const,
      window: input.window,
      accessKeyIds: ids,
      ...(withUser && input.userName ? { username: input.userName } : {}),
    };
    for await (const batch of readEvents(query)) {
      for (const event of batch) {
        key.add(event);
        user?.add(event);
        footholds.add(event);
      }
    }
    withUser = false;
    const tracked = new Set([...key.trackedAccessKeyIds(), ...(user?.trackedAccessKeyIds() ?? [])]);
    ids = [...tracked].filter((id) => !queried.has(id)).sort();
  }
  const keyResult = key.finish();
  return {
    key: keyResult,
    ...(user ? { user: user.finish() } : {}),
    footholds: footholds.madeWith(keyResult.accessKeyIds),
  };
};

export const summariseActivity = (result: AccessKeyResult): ActivitySummary => ({
  subject: result.subject,
  accessKeyIds: result.accessKeyIds.slice(0, MAX_LISTED),
  events: result.events,
  failedEvents: result.failedEvents,
  ...(result.firstSeen ? { firstSeen: result.firstSeen } : {}),
  ...(result.lastSeen ? { lastSeen: result.lastSeen } : {}),
  eventNames: result.eventNames.slice(0, TOP),
  resources: result.resources.slice(0, TOP),
  resourceTypes: result.resourceTypes.slice(0, TOP),
  sourceIPs: result.sourceIPs.slice(0, TOP),
  userAgents: result.userAgents.slice(0, TOP),
  regions: result.regions.slice(0, TOP),
  errorCodes: result.errorCodes.slice(0, TOP),
  suspicious: result.suspicious.slice(0, MAX_LISTED),
  suspiciousTotal: result.suspicious.length,
  attackTools: result.attackTools.map((t) => `${t.tool} (${t.count} calls)`),
});

/** Roles the key (or what it minted) assumed, and sessions minted for the user itself. */
export const mintedBy = (result: AccessKeyResult): { rolesAssumed: RoleAssumed[]; sessions: SessionMinted[] } => {
  const roles = new Map<string, RoleAssumed>();
  const sessions: SessionMinted[] = [];
  for (const credential of result.minted) {
    if (credential.roleArn) {
      const role = roles.get(credential.roleArn) ?? {
        roleArn: credential.roleArn,
        times: 0,
        first: credential.time,
        last: credential.time,
        sessions: [],
      };
      role.times++;
      if (credential.time < role.first) role.first = credential.time;
      if (credential.time > role.last) role.last = credential.time;
      if (credential.actsAs && role.sessions.length < 5 && !role.sessions.includes(credential.actsAs)) {
        role.sessions.push(credential.actsAs);
      }
      roles.set(credential.roleArn, role);
    } else if (credential.eventName === 'GetSessionToken' || credential.eventName === 'GetFederationToken') {
      sessions.push({
        accessKeyId: credential.accessKeyId,
        eventName: credential.eventName,
        time: credential.time,
        ...(credential.region ? { region: credential.region } : {}),
      });
    }
  }
  return {
    rolesAssumed: [...roles.values()].sort((a, b) => (a.roleArn < b.roleArn ? -1 : 1)),
    sessions: sessions.slice(0, MAX_LISTED),
  };
};

export const summariseInvestigation = (
  run: ActivityRun,
  context: { window: { since?: string; until?: string }; source: string; problems: string[] },
): InvestigationSummary => ({
  window: context.window,
  source: context.source,
  complete: context.problems.length === 0,
  problems: context.problems.slice(0, MAX_LISTED),
  key: summariseActivity(run.key),
  ...(run.user ? { user: summariseActivity(run.user) } : {}),
  ...mintedBy(run.key),
  footholds: run.footholds.slice(0, MAX_LISTED),
});
