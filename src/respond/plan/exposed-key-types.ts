/**
 * The exposed access key response in data: the case an event opens, what AWS told us about the key, the plan, and
 * the results. Every value here is JSON-serialisable (it travels between Step Functions tasks) and never holds a
 * secret: access key ids are identifiers and are shown, secret keys and session tokens are never read.
 */
import type { Known } from '../../kms/known';

/** `notify`: change nothing; `contain`: deactivate + quarantine (the default); `contain-and-delete`: then delete. */
export type ResponseMode = 'notify' | 'contain' | 'contain-and-delete';
export const RESPONSE_MODES: readonly ResponseMode[] = ['notify', 'contain', 'contain-and-delete'];
export const DEFAULT_RESPONSE_MODE: ResponseMode = 'contain';

export const isResponseMode = (value: unknown): value is ResponseMode =>
  typeof value === 'string' && (RESPONSE_MODES as readonly string[]).includes(value);

/** One exposure of one access key, whichever event reported it. */
export interface ExposedKeyCase {
  /** `exposed-key/<account>/<access key id>`: a Trusted Advisor and a Health event about one key are one case. */
  caseId: string;
  accessKeyId: string;
  /** The account the key belongs to, as the event says. */
  account?: string;
  /** The IAM user the event names (absent in older Health events). */
  userName?: string;
  /** The event says the key is the root user's. */
  root: boolean;
  /** Which AWS service reported it. */
  reportedBy: 'trusted-advisor' | 'health';
  /** Sent with the keywarden.test source: a rehearsal with a mock event (it still acts, on the key it names). */
  rehearsal: boolean;
  eventId?: string;
  eventTime?: string;
  /** The region the event was emitted in (us-east-1 for both services). */
  region?: string;
  /** Where the key was found (Trusted Advisor "Location", Health `exposedUrl`). */
  exposedAt?: string;
  /** Trusted Advisor "Case ID": the AWS Support case opened about it. */
  supportCaseId?: string;
  /** Trusted Advisor "Fraud Type" (Exposed, Suspected...). */
  fraudType?: string;
  /** AWS Health event ARN and type code. */
  healthEventArn?: string;
  eventTypeCode?: string;
  /** The JSON pointer of the key id in the event, for the evidence of the notice. */
  keyPointer: string;
  /** AWS's own description (Health `latestDescription`), when given. */
  description?: string;
}

/** An event keywarden cannot respond to: the reason says what is wrong and how to fix it. */
export interface BadEvent {
  reason: string;
  source?: string;
  detailType?: string;
  eventId?: string;
  account?: string;
  /** The key id, when the event named one (even an invalid one). */
  accessKeyId?: string;
}

export type KeyStatus = 'Active' | 'Inactive' | 'deleted';

/** What GetAccessKeyLastUsed says about the key. */
export type KeyOwner =
  | { found: false }
  | {
      found: true;
      /** Absent for a root user's key. */
      userName?: string;
      root: boolean;
      lastUsed?: { date?: string; service?: string; region?: string };
    };

/** A value read from AWS, or why not; `retryable` when trying again later can help (throttling, a service error). */
export type Fact<T> = Known<T> | { ok: false; reason: string; retryable: true };

/** What identify learned from AWS: each may be unknown (AWS unreachable, access denied) with the reason. */
export interface IdentifyFacts {
  callerAccount: Fact<string>;
  owner: Fact<KeyOwner>;
  /** Read with ListAccessKeys once the user is known. */
  status: Fact<KeyStatus>;
}

/** The case with its owner resolved, and whether keywarden may act on it. */
export interface IdentifiedKey {
  /** The key's account: the event's, else the one the response runs in. */
  account?: string;
  userName?: string;
  userArn?: string;
  root: boolean;
  status: KeyStatus | 'unknown';
  lastUsed?: { date?: string; service?: string; region?: string };
  /** Why keywarden cannot act on this key (root key, other account, unknown user); absent when it can. */
  blocked?: string;
  /** What could not be read or did not agree, in plain words. */
  notes: string[];
  /** A read failed in a way that trying again can help: the workflow retries identify before acting on less. */
  retryable?: boolean;
}

export type ActionKind =
  | 'deactivate-key'
  | 'attach-quarantine-policy'
  | 'revoke-role-sessions'
  | 'revoke-user-sessions'
  | 'delete-key';

interface ActionBase {
  /** The same action for the same case always has the same key: `<caseId>/<kind>/<target>`. */
  idempotencyKey: string;
  /** The access key id, user name or role ARN acted on. */
  target: string;
  /** The IAM API call, as IAM policies name it. */
  awsCall: string;
  why: string;
  /** Cannot be undone (deletion). */
  irreversible: boolean;
}

export type PlannedAction =
  | (ActionBase & { kind: 'deactivate-key'; userName: string; accessKeyId: string })
  | (ActionBase & { kind: 'attach-quarantine-policy'; userName: string; policyArns: string[] })
  | (ActionBase & {
      kind: 'revoke-role-sessions';
      roleArn: string;
      roleName: string;
      policyName: string;
      policyDocument: string;
    })
  | (ActionBase & { kind: 'revoke-user-sessions'; userName: string; policyName: string; policyDocument: string })
  | (ActionBase & { kind: 'delete-key'; userName: string; accessKeyId: string });

/** An action the mode or the facts rule out, with why: shown so a human knows what was not done. */
export interface SkippedAction {
  kind: ActionKind;
  target: string;
  reason: string;
}

/** Something only a human can do, step by step. */
export interface ManualStep {
  title: string;
  steps: string[];
}

export interface ResponsePlan {
  stage: 'contain' | 'revoke';
  mode: ResponseMode;
  actions: PlannedAction[];
  skipped: SkippedAction[];
  manual: ManualStep[];
}

/**
 * applied: done now; already-done: done before (recorded in the store, or AWS says the key / role is already
 * gone); failed: not done (retryable says whether trying again can help); dry-run: not attempted.
 */
export type ActionOutcome = 'applied' | 'already-done' | 'failed' | 'dry-run';

export interface ActionResult {
  kind: ActionKind;
  target: string;
  idempotencyKey: string;
  outcome: ActionOutcome;
  detail: string;
  retryable?: boolean;
  at?: string;
}
