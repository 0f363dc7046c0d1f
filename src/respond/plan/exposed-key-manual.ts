/** What only a human can do, written as steps and AWS CLI commands they can run as they are. */
import { quarantinePolicyArns, REVOKE_SESSIONS_POLICY_NAME } from './exposed-key-policies';
import type { ExposedKeyCase, ManualStep } from './exposed-key-types';

/** The root user's keys: IAM identities cannot touch them. */
export const rootKeyProcedure = (found: ExposedKeyCase): ManualStep => ({
  title: `Deactivate and delete the root user's access key ${found.accessKeyId} by hand`,
  steps: [
    `Sign in to the AWS console as the root user of account ${found.account ?? '(the account in the event)'}.`,
    `Open "Security credentials" (account menu), find access key ${found.accessKeyId}, choose Actions > Deactivate, then Delete.`,
    'In an AWS Organization with centralized root access, the management account can do it instead: sts:AssumeRoot with the task policy IAMDeleteRootUserCredentials.',
    'Change the root password, check that MFA is on, and remove any root access key you do not need (the root user should have none).',
    'Review what the key did (the activity below) and delete what it created.',
  ],
});

/** The commands for a human when keywarden could not or was not allowed to act. */
export const containByHand = (found: ExposedKeyCase, userName: string | undefined, partition: string): ManualStep => {
  const user = userName ?? 'USER_NAME';
  return {
    title: `Contain ${found.accessKeyId} by hand`,
    steps: [
      ...(userName
        ? []
        : [
            `Find the key's user: aws iam get-access-key-last-used --access-key-id ${found.accessKeyId} (UserName in the answer).`,
          ]),
      `aws iam update-access-key --user-name ${user} --access-key-id ${found.accessKeyId} --status Inactive`,
      `aws iam attach-user-policy --user-name ${user} --policy-arn ${quarantinePolicyArns(partition)[0]}`,
    ],
  };
};

export const revokeRoleByHand = (roleArn: string, cutoff: string): ManualStep => ({
  title: `Revoke the sessions of role ${roleArn} the key assumed`,
  steps: [
    `In the account of ${roleArn}: IAM console > Roles > the role > "Revoke sessions" > Revoke active sessions,`,
    `or put an inline policy named ${REVOKE_SESSIONS_POLICY_NAME} denying "*" on "*" when aws:TokenIssueTime is before ${cutoff}.`,
  ],
});

export const deleteByHand = (found: ExposedKeyCase, userName: string): ManualStep => ({
  title: `Delete ${found.accessKeyId} once nothing legitimate uses it`,
  steps: [
    'Give the applications that used the key a new key (or better, a role), and check the key has no legitimate use left.',
    `aws iam delete-access-key --user-name ${userName} --access-key-id ${found.accessKeyId}  (cannot be undone)`,
  ],
});

/** Always: the leak itself and what the attacker may have left behind. */
export const afterContainment = (found: ExposedKeyCase): ManualStep => ({
  title: 'Clean up after the leak',
  steps: [
    found.exposedAt
      ? `Remove the key from ${found.exposedAt} and from the repository history; assume it was copied.`
      : 'Remove the key from where it was published, and from the repository history; assume it was copied.',
    'Delete the users, access keys and console passwords the key created, and review its suspicious calls (both listed below).',
    'Check the bill and every region for resources you did not create (instances, functions, GPU capacity).',
    found.supportCaseId
      ? `Answer AWS Support case ${found.supportCaseId}; detach the quarantine policy only once the user is clean.`
      : 'Answer the AWS Support case AWS opened about this key; detach the quarantine policy only once the user is clean.',
  ],
});
