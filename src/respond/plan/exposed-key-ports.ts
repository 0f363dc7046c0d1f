/**
 * What the response needs from AWS, as an interface the use case receives: src/respond/aws implements it with the
 * SDK, tests with moto or a mock. Reads say what they could not read (Known); `apply` never throws, a failure is a
 * result with `retryable` set when trying again can help (throttling, a service error).
 */
import type { ActionResult, Fact, KeyOwner, KeyStatus, PlannedAction } from './exposed-key-types';

export interface ExposedKeyIam {
  /** sts:GetCallerIdentity: the account the response runs in. */
  callerAccount(): Promise<Fact<string>>;
  /** iam:GetAccessKeyLastUsed: whose key it is and when it was last used; `found: false` when IAM does not know it. */
  keyOwner(accessKeyId: string): Promise<Fact<KeyOwner>>;
  /** iam:ListAccessKeys of the user: Active, Inactive, or deleted when the user no longer has it. */
  keyStatus(userName: string, accessKeyId: string): Promise<Fact<KeyStatus>>;
  /** Carry out one planned action; idempotent on AWS's side (a key or role already gone is `already-done`). */
  apply(action: PlannedAction): Promise<ActionResult>;
}
