/**
 * Builds CloudTrail records from the real templates in ../fixtures/templates: only values change (times, ids,
 * ARNs, accounts), the shape of every record is AWS's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyIdSuffix, type Random, uuid } from './world';

type Json = Record<string, unknown>;

const TEMPLATES = join(import.meta.dirname, '../fixtures/templates');
const cache = new Map<string, Json>();
export const template = (name: string): Json => {
  let found = cache.get(name);
  if (!found) {
    const parsed = JSON.parse(readFileSync(join(TEMPLATES, `${name}.json`), 'utf8')) as Json | Json[];
    found = Array.isArray(parsed) ? (parsed[0] as Json) : parsed;
    cache.set(name, found);
  }
  return found;
};

export const USER_AGENTS = [
  'aws-sdk-java/2.25.6 Linux/5.10.215-203.850.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy',
  'Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#5.10.215-203.850.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84',
  'aws-cli/2.15.59 md/awscrt#0.19.19 ua/2.0 os/macos#22.6.0 md/arch#arm64 lang/python#3.11.11 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#kms.describe-key',
  'AWS Internal',
];

export interface Identity {
  json: Json;
  account: string;
}

/** A role session, in the AssumedRole shape of disable-key-assumed-role.json. */
export const roleSession = (roleArn: string, session: string, accessKeyId: string, created: string): Identity => {
  const account = roleArn.split(':')[4] as string;
  const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const roleId = `AROA${roleName
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .padEnd(17, 'X')
    .slice(0, 17)}`;
  const base = template('disable-key-assumed-role').userIdentity as Json;
  const context = base.sessionContext as Json;
  return {
    account,
    json: {
      ...base,
      principalId: `${roleId}:${session}`,
      arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${session}`,
      accountId: account,
      accessKeyId,
      sessionContext: {
        ...context,
        attributes: { mfaAuthenticated: 'false', creationDate: created },
        sessionIssuer: {
          ...(context.sessionIssuer as Json),
          principalId: roleId,
          arn: roleArn,
          accountId: account,
          userName: roleName,
        },
      },
    },
  };
};

/** An IAM user calling with its access key, in the IAMUser shape of the KMS guide examples. */
export const iamUser = (account: string, userName: string, accessKeyId: string): Identity => ({
  account,
  json: {
    ...(template('decrypt').userIdentity as Json),
    principalId: `AIDA${userName
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .padEnd(17, 'Q')
      .slice(0, 17)}`,
    arn: `arn:aws:iam::${account}:user/${userName}`,
    accountId: account,
    accessKeyId,
    userName,
  },
});

/** How the key owner's trail records a caller of another account (type AWSAccount, no ARN). */
export const otherAccount = (account: string, principalId: string): Identity => ({
  account,
  json: { type: 'AWSAccount', principalId, accountId: account },
});

export interface CallContext {
  random: Random;
  time: string;
  identity: Identity;
  region: string;
  sourceIP: string;
  userAgent: string;
}

const common = (tpl: Json, context: CallContext, recipient: string): Json => ({
  ...tpl,
  userIdentity: context.identity.json,
  eventTime: context.time,
  awsRegion: context.region,
  sourceIPAddress: context.sourceIP,
  userAgent: context.userAgent,
  requestID: uuid(context.random),
  eventID: uuid(context.random),
  recipientAccountId: recipient,
});

const keyResource = (keyArn: string) => [{ accountId: keyArn.split(':')[4], type: 'AWS::KMS::Key', ARN: keyArn }];

const TEMPLATE_OF: Record<string, string> = {
  Decrypt: 'decrypt',
  Encrypt: 'decrypt',
  GenerateDataKey: 'generate-data-key',
  DescribeKey: 'describe-key',
  DisableKey: 'disable-key',
  ScheduleKeyDeletion: 'schedule-key-deletion',
};

/** A KMS call on one key, recorded in the key owner's trail. */
export const kmsCall = (eventName: string, keyArn: string, context: CallContext, extra: Json = {}): Json => {
  const tpl = template(TEMPLATE_OF[eventName] ?? 'describe-key');
  const owner = keyArn.split(':')[4] as string;
  const request: Json = { ...(tpl.requestParameters as Json), keyId: keyArn };
  const record: Json = {
    ...common(tpl, context, owner),
    eventName,
    requestParameters: request,
    resources: keyResource(keyArn),
    ...extra,
  };
  if (eventName === 'ScheduleKeyDeletion') {
    record.responseElements = { keyId: keyArn, keyState: 'PendingDeletion', deletionDate: 'Jul 1, 2024, 2:00:00 PM' };
  }
  return record;
};

export const putKeyPolicy = (keyArn: string, policy: Json, context: CallContext): Json => {
  const tpl = template('put-key-policy');
  return {
    ...common(tpl, context, keyArn.split(':')[4] as string),
    requestParameters: {
      ...(tpl.requestParameters as Json),
      keyId: keyArn,
      policy: JSON.stringify(policy, null, 2),
      bypassPolicyLockoutSafetyCheck: false,
    },
    resources: keyResource(keyArn),
  };
};

export const defaultPolicy = (account: string): Json => ({
  Version: '2012-10-17',
  Id: 'key-default-1',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
});

export const createGrant = (keyArn: string, grantee: string, grantId: string, context: CallContext): Json => {
  const tpl = template('create-grant');
  return {
    ...common(tpl, context, keyArn.split(':')[4] as string),
    requestParameters: {
      ...(tpl.requestParameters as Json),
      keyId: keyArn,
      granteePrincipal: grantee,
      operations: ['Decrypt', 'GenerateDataKey'],
    },
    responseElements: { grantId },
    resources: keyResource(keyArn),
  };
};

export const revokeGrant = (keyArn: string, grantId: string, context: CallContext): Json => {
  const tpl = template('revoke-grant');
  return {
    ...common(tpl, context, keyArn.split(':')[4] as string),
    requestParameters: { keyId: keyArn, grantId },
    resources: keyResource(keyArn),
  };
};

export const getCallerIdentity = (context: CallContext): Json => ({
  ...common(template('get-caller-identity'), context, context.identity.account),
});

/** AssumeRole; returns the record and the temporary access key id it minted. */
export const assumeRole = (
  roleArn: string,
  session: string,
  context: CallContext,
): { record: Json; minted: string } => {
  const tpl = template('assume-role');
  const account = roleArn.split(':')[4] as string;
  const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const minted = `ASIA${keyIdSuffix(context.random)}`;
  const response = tpl.responseElements as Json;
  return {
    minted,
    record: {
      ...common(tpl, context, account),
      requestParameters: { roleArn, roleSessionName: session },
      responseElements: {
        ...response,
        credentials: { ...(response.credentials as Json), accessKeyId: minted },
        assumedRoleUser: {
          assumedRoleId: `AROA${roleName.toUpperCase()}:${session}`,
          arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${session}`,
        },
      },
      resources: [{ accountId: account, type: 'AWS::IAM::Role', ARN: roleArn }],
      sharedEventID: uuid(context.random),
    },
  };
};
