/**
 * The exposed-key response's AWS side through the SDK: STS GetCallerIdentity, IAM GetAccessKeyLastUsed and
 * ListAccessKeys to identify, then UpdateAccessKey Inactive, AttachUserPolicy (AWS's quarantine policy),
 * PutRolePolicy / PutUserPolicy (revoke older sessions) and DeleteAccessKey. Every action is idempotent on AWS's
 * side: a key, user or role already gone is `already-done` and the workflow continues. Nothing here logs.
 */
import {
  AttachUserPolicyCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  type IAMClient,
  ListAccessKeysCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { known } from '../../kms/known';
import type { ExposedKeyIam } from '../plan/exposed-key-ports';
import type { ActionResult, Fact, KeyOwner, KeyStatus, PlannedAction } from '../plan/exposed-key-types';
import { errorText, isNoSuchEntity, isRetryable } from './exposed-key-errors';

export interface ExposedKeyIamOptions {
  iam: IAMClient;
  sts: STSClient;
  /** The time of each result (ISO 8601); the executor never reads the clock itself. */
  now: () => string;
}

/** A failed read, retryable when trying again can help. */
const failedRead = <T>(reason: string, error: unknown): Fact<T> =>
  isRetryable(error) ? { ok: false, reason, retryable: true } : { ok: false, reason };

const ROOT_NAME = /^(root|<root_account>)$/i;
const notApplicable = (value: string | undefined): string | undefined => (value && value !== 'N/A' ? value : undefined);

/** Which planned action a NoSuchEntity means "already done" for, in words. */
const GONE: Record<PlannedAction['kind'], string> = {
  'deactivate-key': 'the key (or its user) no longer exists: nothing left to deactivate',
  'attach-quarantine-policy': 'the user no longer exists: nothing left to quarantine',
  'revoke-role-sessions': 'the role no longer exists: its sessions are void',
  'revoke-user-sessions': 'the user no longer exists: its sessions are void',
  'delete-key': 'the key was already deleted',
};

export const exposedKeyIam = (options: ExposedKeyIamOptions): ExposedKeyIam => {
  const { iam, sts, now } = options;
  const result = (action: PlannedAction, outcome: ActionResult['outcome'], detail: string, retryable?: boolean) => ({
    kind: action.kind,
    target: action.target,
    idempotencyKey: action.idempotencyKey,
    outcome,
    detail,
    at: now(),
    ...(retryable === undefined ? {} : { retryable }),
  });

  const attachQuarantine = async (action: PlannedAction & { kind: 'attach-quarantine-policy' }) => {
    const missing: string[] = [];
    for (const PolicyArn of action.policyArns) {
      try {
        await iam.send(new AttachUserPolicyCommand({ UserName: action.userName, PolicyArn }));
        const note = missing.length > 0 ? ` (${missing.join(', ')} does not exist here)` : '';
        return result(action, 'applied', `attached ${PolicyArn} to user ${action.userName}${note}`);
      } catch (error) {
        if (isNoSuchEntity(error) && errorText(error).includes(PolicyArn)) {
          missing.push(PolicyArn);
          continue;
        }
        throw error;
      }
    }
    return result(action, 'failed', `none of ${action.policyArns.join(', ')} exists in this account`, false);
  };

  const perform = async (action: PlannedAction): Promise<ActionResult> => {
    switch (action.kind) {
      case 'deactivate-key':
        await iam.send(
          new UpdateAccessKeyCommand({
            UserName: action.userName,
            AccessKeyId: action.accessKeyId,
            Status: 'Inactive',
          }),
        );
        return result(action, 'applied', `deactivated: ${action.accessKeyId} signs nothing now`);
      case 'attach-quarantine-policy':
        return attachQuarantine(action);
      case 'revoke-role-sessions':
        await iam.send(
          new PutRolePolicyCommand({
            RoleName: action.roleName,
            PolicyName: action.policyName,
            PolicyDocument: action.policyDocument,
          }),
        );
        return result(action, 'applied', `inline policy ${action.policyName} denies the role's older sessions`);
      case 'revoke-user-sessions':
        await iam.send(
          new PutUserPolicyCommand({
            UserName: action.userName,
            PolicyName: action.policyName,
            PolicyDocument: action.policyDocument,
          }),
        );
        return result(action, 'applied', `inline policy ${action.policyName} denies the user's older sessions`);
      case 'delete-key':
        await iam.send(new DeleteAccessKeyCommand({ UserName: action.userName, AccessKeyId: action.accessKeyId }));
        return result(action, 'applied', `deleted ${action.accessKeyId} (this cannot be undone)`);
    }
  };

  return {
    async callerAccount() {
      try {
        const identity = await sts.send(new GetCallerIdentityCommand({}));
        return identity.Account
          ? known(identity.Account)
          : { ok: false, reason: 'GetCallerIdentity returned no account' };
      } catch (error) {
        return failedRead(`GetCallerIdentity failed: ${errorText(error)}`, error);
      }
    },

    async keyOwner(accessKeyId) {
      try {
        const answer = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
        const userName = answer.UserName;
        const used = answer.AccessKeyLastUsed;
        const lastUsed = {
          ...(used?.LastUsedDate ? { date: used.LastUsedDate.toISOString() } : {}),
          ...(notApplicable(used?.ServiceName) ? { service: used?.ServiceName } : {}),
          ...(notApplicable(used?.Region) ? { region: used?.Region } : {}),
        };
        const root = !userName || ROOT_NAME.test(userName);
        const owner: KeyOwner = { found: true, root, ...(root ? {} : { userName }) };
        if (Object.keys(lastUsed).length > 0) owner.lastUsed = lastUsed;
        return known(owner);
      } catch (error) {
        if (isNoSuchEntity(error)) return known({ found: false } as KeyOwner);
        return failedRead(errorText(error), error);
      }
    },

    async keyStatus(userName, accessKeyId) {
      try {
        let Marker: string | undefined;
        do {
          const page = await iam.send(new ListAccessKeysCommand({ UserName: userName, Marker }));
          const entry = page.AccessKeyMetadata?.find((k) => k.AccessKeyId === accessKeyId);
          if (entry) return known((entry.Status === 'Active' ? 'Active' : 'Inactive') as KeyStatus);
          Marker = page.IsTruncated ? page.Marker : undefined;
        } while (Marker);
        return known('deleted' as KeyStatus);
      } catch (error) {
        if (isNoSuchEntity(error)) return known('deleted' as KeyStatus);
        return failedRead(`ListAccessKeys for ${userName} failed: ${errorText(error)}`, error);
      }
    },

    async apply(action) {
      try {
        return await perform(action);
      } catch (error) {
        if (isNoSuchEntity(error)) return result(action, 'already-done', GONE[action.kind]);
        return result(action, 'failed', `${action.awsCall} failed: ${errorText(error)}`, isRetryable(error));
      }
    },
  };
};
