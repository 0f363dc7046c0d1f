/**
 * The plans, pure. Contain (right after identify): deactivate the key and quarantine its user. Revoke (after the
 * investigation read the key's activity): deny the older sessions of every role it assumed and of the user when it
 * minted session tokens, and delete the key in contain-and-delete mode. What the mode or the facts rule out is
 * listed as skipped, with why; what only a human can do comes as manual steps.
 */
import type { InvestigationSummary } from './exposed-key-activity';
import {
  afterContainment,
  containByHand,
  deleteByHand,
  revokeRoleByHand,
  rootKeyProcedure,
} from './exposed-key-manual';
import {
  quarantinePolicyArns,
  REVOKE_SESSIONS_POLICY_NAME,
  revokeOlderSessionsPolicy,
  roleOfArn,
} from './exposed-key-policies';
import type {
  ExposedKeyCase,
  IdentifiedKey,
  ManualStep,
  PlannedAction,
  ResponseMode,
  ResponsePlan,
  SkippedAction,
} from './exposed-key-types';

const keyFor = (found: ExposedKeyCase, kind: string, target: string): string => `${found.caseId}/${kind}/${target}`;

const NOTIFY_ONLY = 'mode notify: keywarden changes nothing';

export const planContainment = (
  found: ExposedKeyCase,
  identified: IdentifiedKey,
  mode: ResponseMode,
  partition = 'aws',
): ResponsePlan => {
  const plan: ResponsePlan = { stage: 'contain', mode, actions: [], skipped: [], manual: [] };
  const key = found.accessKeyId;
  const userTarget = identified.userName ?? '(unknown user)';
  const skipBoth = (reason: string) => {
    plan.skipped.push({ kind: 'deactivate-key', target: key, reason });
    plan.skipped.push({ kind: 'attach-quarantine-policy', target: userTarget, reason });
  };
  if (identified.root) plan.manual.push(rootKeyProcedure(found));
  if (identified.blocked) {
    skipBoth(identified.blocked);
    if (!identified.root) plan.manual.push(containByHand(found, identified.userName, partition));
  } else if (identified.status === 'deleted') {
    skipBoth('the key no longer exists: it was already deleted');
  } else if (mode === 'notify') {
    skipBoth(NOTIFY_ONLY);
    plan.manual.push(containByHand(found, identified.userName, partition));
  } else if (identified.userName) {
    const userName = identified.userName;
    plan.actions.push({
      kind: 'deactivate-key',
      idempotencyKey: keyFor(found, 'deactivate-key', key),
      target: key,
      userName,
      accessKeyId: key,
      awsCall: 'iam:UpdateAccessKey',
      why: `an inactive key signs nothing: whoever copied ${key} can no longer use it${identified.status === 'Inactive' ? ' (it is already inactive: this confirms it)' : ''}`,
      irreversible: false,
    });
    plan.actions.push({
      kind: 'attach-quarantine-policy',
      idempotencyKey: keyFor(found, 'attach-quarantine-policy', userName),
      target: userName,
      userName,
      policyArns: quarantinePolicyArns(partition),
      awsCall: 'iam:AttachUserPolicy',
      why: `AWS's quarantine policy denies the calls fraud uses to user ${userName}, whatever credential it signs with`,
      irreversible: false,
    });
  }
  plan.manual.push(afterContainment(found));
  return plan;
};

/** The roles to revoke sessions of, those keywarden cannot reach, and why. */
const rolesOf = (investigation: InvestigationSummary, account: string | undefined) => {
  const here: Array<{ roleArn: string; roleName: string }> = [];
  const elsewhere: string[] = [];
  const skipped: SkippedAction[] = [];
  for (const { roleArn } of investigation.rolesAssumed) {
    const role = roleOfArn(roleArn);
    if (!role) skipped.push({ kind: 'revoke-role-sessions', target: roleArn, reason: 'not an IAM role ARN' });
    else if (role.path.startsWith('/aws-service-role/')) {
      skipped.push({
        kind: 'revoke-role-sessions',
        target: roleArn,
        reason: "a service-linked role's sessions cannot be revoked",
      });
    } else if (account !== undefined && role.account !== account) elsewhere.push(roleArn);
    else here.push({ roleArn, roleName: role.name });
  }
  return { here, elsewhere, skipped };
};

export interface RevocationInput {
  found: ExposedKeyCase;
  identified: IdentifiedKey;
  investigation: InvestigationSummary;
  mode: ResponseMode;
  /** The cut-off of the session revocation: sessions issued before it stop working (ISO 8601). */
  now: string;
  /** The account the response runs in (roles of other accounts are left to a human). */
  account?: string;
}

export const planRevocation = (input: RevocationInput): ResponsePlan => {
  const { found, identified, investigation, mode, now } = input;
  const plan: ResponsePlan = { stage: 'revoke', mode, actions: [], skipped: [], manual: [] };
  const account = input.account ?? identified.account ?? found.account;
  const roles = rolesOf(investigation, account);
  plan.skipped.push(...roles.skipped);
  const userName = identified.userName;
  const blocked = identified.blocked ?? (mode === 'notify' ? NOTIFY_ONLY : undefined);

  const manual: ManualStep[] = roles.elsewhere.map((roleArn) => revokeRoleByHand(roleArn, now));
  for (const role of roles.here) {
    if (blocked) {
      plan.skipped.push({ kind: 'revoke-role-sessions', target: role.roleArn, reason: blocked });
      manual.push(revokeRoleByHand(role.roleArn, now));
      continue;
    }
    plan.actions.push({
      kind: 'revoke-role-sessions',
      idempotencyKey: keyFor(found, 'revoke-role-sessions', role.roleArn),
      target: role.roleArn,
      roleArn: role.roleArn,
      roleName: role.roleName,
      policyName: REVOKE_SESSIONS_POLICY_NAME,
      policyDocument: revokeOlderSessionsPolicy(now),
      awsCall: 'iam:PutRolePolicy',
      why: `the key assumed ${role.roleArn}; those sessions outlive the key. Sessions issued before ${now} are denied everything, new ones work`,
      irreversible: false,
    });
  }
  if (investigation.sessions.length > 0 && userName) {
    const minted = investigation.sessions.map((s) => s.accessKeyId).join(', ');
    if (blocked) plan.skipped.push({ kind: 'revoke-user-sessions', target: userName, reason: blocked });
    else {
      plan.actions.push({
        kind: 'revoke-user-sessions',
        idempotencyKey: keyFor(found, 'revoke-user-sessions', userName),
        target: userName,
        userName,
        policyName: REVOKE_SESSIONS_POLICY_NAME,
        policyDocument: revokeOlderSessionsPolicy(now),
        awsCall: 'iam:PutUserPolicy',
        why: `the key minted session credentials (${minted}) that act as ${userName} after the key is inactive; they are denied everything, the user's access keys are not affected`,
        irreversible: false,
      });
    }
  }
  planDeletion(plan, manual, input, blocked);
  plan.manual.push(...manual);
  return plan;
};

const planDeletion = (
  plan: ResponsePlan,
  manual: ManualStep[],
  input: RevocationInput,
  blocked: string | undefined,
): void => {
  const { found, identified, investigation, mode } = input;
  const key = found.accessKeyId;
  const userName = identified.userName;
  const skip = (reason: string): void => {
    plan.skipped.push({ kind: 'delete-key', target: key, reason });
  };
  if (identified.status === 'deleted') {
    skip('the key no longer exists: it was already deleted');
    return;
  }
  if (identified.blocked || !userName) {
    skip(identified.blocked ?? 'the key has no known user');
    return;
  }
  if (mode !== 'contain-and-delete') {
    skip(
      blocked ??
        'mode contain keeps the deactivated key, so an application that still needs it can be moved first; deletion cannot be undone',
    );
    manual.push(deleteByHand(found, userName));
    return;
  }
  if (!investigation.complete) {
    skip(
      `the investigation could not read all of the key's activity (${investigation.problems[0] ?? 'read errors'}): delete it by hand once the activity is reviewed`,
    );
    manual.push(deleteByHand(found, userName));
    return;
  }
  const action: PlannedAction = {
    kind: 'delete-key',
    idempotencyKey: keyFor(found, 'delete-key', key),
    target: key,
    userName,
    accessKeyId: key,
    awsCall: 'iam:DeleteAccessKey',
    why: "mode contain-and-delete: the investigation has read the key's activity, so the key goes for good (this cannot be undone)",
    irreversible: true,
  };
  plan.actions.push(action);
};
