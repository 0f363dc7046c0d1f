/**
 * Events and CloudTrail records for the exposed-key tests, built from the real shapes in fixtures/ (see
 * fixtures/SOURCE.md): only the values a case is about change (key ids, users, accounts, times).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

type Json = Record<string, unknown>;

export const readFixture = <T = Json>(path: string): T => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as T;

export interface KeyCase {
  accessKeyId: string;
  userName?: string;
  account?: string;
  id?: string;
}

/** The Trusted Advisor README event with the key, user and account of the case. */
export const trustedAdvisorEvent = (c: KeyCase): Json => {
  const event = readFixture('events/trusted-advisor.json');
  const detail = event.detail as Json;
  const item = detail['check-item-detail'] as Json;
  item['Access Key ID'] = c.accessKeyId;
  if (c.userName !== undefined) item['User Name (IAM or Root)'] = c.userName;
  if (c.account) event.account = c.account;
  if (c.id) event.id = c.id;
  return event;
};

/** The 2025-shape Health event (eventMetadata) with the key, user and account of the case. */
export const healthEvent = (c: KeyCase): Json => {
  const event = readFixture('events/health-event-metadata.json');
  const detail = event.detail as Json;
  const metadata = detail.eventMetadata as Json;
  metadata.publicKey = c.accessKeyId;
  if (c.userName !== undefined) metadata.userName = c.userName;
  if (c.account) {
    metadata.accountId = c.account;
    event.account = c.account;
  }
  (detail.affectedEntities as Json[])[0]!.entityValue = c.accessKeyId;
  detail.affectedAccount = c.accessKeyId;
  event.resources = [c.accessKeyId];
  if (c.id) event.id = c.id;
  return event;
};

/** The older Health event: the key only in affectedEntities, no user. */
export const olderHealthEvent = (c: KeyCase): Json => {
  const event = readFixture('events/health-affected-entities.json');
  const detail = event.detail as Json;
  (detail.affectedEntities as Json[])[0]!.entityValue = c.accessKeyId;
  if (c.account) event.account = c.account;
  if (c.id) event.id = c.id;
  return event;
};

/** The sample's PutEvents mock entry, sent with the rehearsal source. */
export const rehearsalEntry = (c: KeyCase): Json[] => {
  const [entry] = readFixture<Json[]>('events/trusted-advisor-mock-putevents.json');
  const detail = JSON.parse(entry!.Detail as string) as Json;
  const item = detail['check-item-detail'] as Json;
  item['Access Key ID'] = c.accessKeyId;
  if (c.userName !== undefined) item['User Name (IAM or Root)'] = c.userName;
  return [{ ...entry, Source: 'keywarden.test', Detail: JSON.stringify(detail) }];
};

// -------------------------------------------------------------------------------------------------------------
// CloudTrail

export interface Scenario {
  accessKeyId: string;
  userName: string;
  account: string;
  /** The role the key assumes. */
  roleName: string;
  /** The temporary keys it mints. */
  roleKey: string;
  sessionKey: string;
  /** ISO times are built on this day. */
  day: string;
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}-${String(++counter).padStart(6, '0')}`;

const iamUser = (s: Scenario) => ({
  type: 'IAMUser',
  principalId: 'AIDAQRSTUVWXYZEXAMPLE',
  arn: `arn:aws:iam::${s.account}:user/${s.userName}`,
  accountId: s.account,
  accessKeyId: s.accessKeyId,
  userName: s.userName,
});

const roleSession = (s: Scenario) => ({
  type: 'AssumedRole',
  principalId: `AROAIN5ATK5U7KEXAMPLE:attacker`,
  arn: `arn:aws:sts::${s.account}:assumed-role/${s.roleName}/attacker`,
  accountId: s.account,
  accessKeyId: s.roleKey,
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      principalId: 'AROAIN5ATK5U7KEXAMPLE',
      arn: `arn:aws:iam::${s.account}:role/${s.roleName}`,
      accountId: s.account,
      userName: s.roleName,
    },
    attributes: { creationDate: `${s.day}T10:14:00Z`, mfaAuthenticated: 'false' },
  },
});

/** The AssumeRole record of the IAM User Guide: the leaked key assumes the scenario's role. */
export const assumeRole = (s: Scenario, time = '10:14:00'): Json => {
  const record = readFixture('cloudtrail/assume-role.json');
  const roleArn = `arn:aws:iam::${s.account}:role/${s.roleName}`;
  return {
    ...record,
    eventID: nextId('assume'),
    eventTime: `${s.day}T${time}Z`,
    userIdentity: iamUser(s),
    requestParameters: { roleArn, roleSessionName: 'attacker' },
    responseElements: {
      ...(record.responseElements as Json),
      credentials: {
        ...((record.responseElements as Json).credentials as Json),
        accessKeyId: s.roleKey,
      },
      assumedRoleUser: {
        assumedRoleId: 'AROAIN5ATK5U7KEXAMPLE:attacker',
        arn: `arn:aws:sts::${s.account}:assumed-role/${s.roleName}/attacker`,
      },
    },
    resources: [{ accountId: s.account, type: 'AWS::IAM::Role', ARN: roleArn }],
    recipientAccountId: s.account,
  };
};

export const getSessionToken = (s: Scenario, time = '10:18:00'): Json => {
  const record = readFixture('cloudtrail/get-session-token.json');
  return {
    ...record,
    eventID: nextId('session'),
    eventTime: `${s.day}T${time}Z`,
    userIdentity: iamUser(s),
    responseElements: {
      credentials: { ...((record.responseElements as Json).credentials as Json), accessKeyId: s.sessionKey },
    },
    recipientAccountId: s.account,
  };
};

/** The Stratus CreateUser / AttachUserPolicy / CreateAccessKey records, made by the role session. */
export const footholdCalls = (s: Scenario, time = '10:16:00'): Json[] => {
  const records = readFixture<Json[]>('cloudtrail/stratus-create-admin-user.json');
  const login = readFixture('cloudtrail/create-login-profile.json');
  return [...records, login].map((record) => ({
    ...record,
    eventID: nextId('foothold'),
    eventTime: `${s.day}T${time}Z`,
    awsRegion: 'us-east-1',
    userIdentity: roleSession(s),
    recipientAccountId: s.account,
  }));
};

/** Calls made with the leaked key itself (the Stratus AttachUserPolicy record as the template), `n` of them. */
export const keyCalls = (s: Scenario, n: number, options: { region?: string; eventName?: string } = {}): Json[] => {
  const [attach] = readFixture<Json[]>('cloudtrail/stratus-create-admin-user.json');
  return Array.from({ length: n }, (_, i) => ({
    ...attach,
    eventID: nextId('call'),
    eventName: options.eventName ?? 'ListBuckets',
    eventSource: 's3.amazonaws.com',
    eventTime: `${s.day}T11:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
    awsRegion: options.region ?? 'us-east-1',
    requestParameters: null,
    userIdentity: iamUser(s),
    recipientAccountId: s.account,
  }));
};

/** Everything the scenario's attacker did: assume a role, create footholds with it, mint a session token. */
export const attackRecords = (s: Scenario): Json[] => [
  assumeRole(s),
  ...footholdCalls(s),
  getSessionToken(s),
  ...keyCalls(s, 3),
];
