/**
 * Applies the steps of a fix plan (src/respond/plan/fix.ts) through the KMS API. Idempotent: putting the same policy
 * again changes nothing, revoking a grant that is gone and cancelling a deletion that is not scheduled are reported
 * as already done. Failures are values with what AWS said and what to do; the caller records every outcome in the
 * store's remediation log.
 */
import { CancelKeyDeletionCommand, type KMSClient, PutKeyPolicyCommand, RevokeGrantCommand } from '@aws-sdk/client-kms';
import type { FixStep } from '../plan/fix';

export interface StepOutcome {
  outcome: 'applied' | 'skipped' | 'failed';
  /** What happened, in the user's words. */
  message: string;
  error?: { code: string; message: string };
}

interface AwsErrorLike {
  name?: string;
  code?: string;
  message?: string;
}

const codeOf = (error: unknown): string => {
  const e = (typeof error === 'object' && error !== null ? error : {}) as AwsErrorLike;
  return e.name && e.name !== 'Error' ? e.name : (e.code ?? 'Error');
};
const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';

const ADVICE: Record<string, string> = {
  AccessDeniedException:
    'the caller may not do this on the key: run as a key administrator (the key policy must allow it)',
  MalformedPolicyDocumentException:
    'KMS refused the policy (the lockout safety check: the caller must keep kms:PutKeyPolicy, or a principal in it does not exist)',
  KMSInvalidStateException: 'the key is not in a state that allows this (pending deletion, pending import?)',
  NotFoundException: 'the key or grant does not exist',
};

const failure = (step: FixStep, error: unknown): StepOutcome => {
  const code = codeOf(error);
  return {
    outcome: 'failed',
    message: `${step.action} on ${step.keyArn} failed: ${code}: ${messageOf(error)}${ADVICE[code] ? ` (${ADVICE[code]})` : ''}`,
    error: { code, message: messageOf(error) },
  };
};

/**
 * PutKeyPolicy and CancelKeyDeletion cannot be called across accounts, so the key id (resolved by KMS in the
 * client's account and region, the key's own) names the key; RevokeGrant may be cross-account and gets the ARN.
 */
const keyIdOf = (keyArn: string): string => keyArn.slice(keyArn.indexOf(':key/') + ':key/'.length) || keyArn;

export async function executeFixStep(kms: KMSClient, step: FixStep): Promise<StepOutcome> {
  try {
    switch (step.action) {
      case 'PutKeyPolicy':
        await kms.send(
          new PutKeyPolicyCommand({
            KeyId: keyIdOf(step.keyArn),
            PolicyName: 'default',
            Policy: step.policy,
            BypassPolicyLockoutSafetyCheck: step.bypassPolicyLockoutSafetyCheck,
          }),
        );
        return { outcome: 'applied', message: `PutKeyPolicy on ${step.keyArn}: the corrected policy is in place` };
      case 'RevokeGrant':
        try {
          await kms.send(new RevokeGrantCommand({ KeyId: step.keyArn, GrantId: step.grantId }));
        } catch (error) {
          if (codeOf(error) === 'NotFoundException') {
            return { outcome: 'skipped', message: `grant ${step.grantId} does not exist any more: nothing to revoke` };
          }
          throw error;
        }
        return { outcome: 'applied', message: `RevokeGrant ${step.grantId} on ${step.keyArn}: revoked` };
      case 'CancelKeyDeletion':
        try {
          await kms.send(new CancelKeyDeletionCommand({ KeyId: keyIdOf(step.keyArn) }));
        } catch (error) {
          if (codeOf(error) === 'KMSInvalidStateException') {
            return { outcome: 'skipped', message: `${step.keyArn} is not pending deletion: nothing to cancel` };
          }
          throw error;
        }
        return {
          outcome: 'applied',
          message: `CancelKeyDeletion on ${step.keyArn}: deletion cancelled (the key is disabled: aws kms enable-key --key-id ${step.keyArn} when ready)`,
        };
    }
  } catch (error) {
    return failure(step, error);
  }
}

/** An executor for keys of any region: `kmsFor(region)` gives the region's client. */
export function createFixExecutor(kmsFor: (region: string) => KMSClient): (step: FixStep) => Promise<StepOutcome> {
  return (step) => executeFixStep(kmsFor(step.keyArn.split(':')[3] ?? ''), step);
}
