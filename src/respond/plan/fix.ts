/**
 * What `keywarden fix` does about one finding (pure): the AWS calls that apply the finding's remediation, or why it
 * does nothing. Three actions only: PutKeyPolicy with the corrected policy (lockout safety check on), RevokeGrant,
 * CancelKeyDeletion. It refuses when the key changed since the finding was recorded (the fix was computed from the
 * old state and could undo the newer change), and `restore` puts back the last stored policy that had no finding at
 * or above the threshold. Steps carry idempotency keys so applying a plan twice does the work once.
 */
import { createHash } from 'node:crypto';
import { type Finding, type Severity, severityRank } from '../../findings/types';

/** One state of the key, as far as the planner needs it. `policyText` undefined = the policy could not be read. */
export interface KeyState {
  /** The time this state describes (stored snapshot asOf); absent for the live key. */
  asOf?: string;
  policyText?: string;
  /** Grant ids; undefined when the grants could not be read. */
  grantIds?: string[];
  /** DescribeKey KeyState (Enabled, Disabled, PendingDeletion...); undefined when unknown. */
  keyState?: string;
  /** Every finding the engine reports on this state. */
  findings: Finding[];
}

export type FixStep =
  | {
      action: 'PutKeyPolicy';
      keyArn: string;
      policy: string;
      /** Always false: KMS refuses a policy that would lock the caller out. */
      bypassPolicyLockoutSafetyCheck: false;
      /** The policy it replaces, for the record and for undoing by hand. */
      previousPolicy?: string;
      idempotencyKey: string;
      why: string;
    }
  | { action: 'RevokeGrant'; keyArn: string; grantId: string; idempotencyKey: string; why: string }
  | { action: 'CancelKeyDeletion'; keyArn: string; idempotencyKey: string; why: string };

export type FixPlan =
  | { status: 'ready'; findingId: string; keyArn: string; steps: FixStep[]; notes: string[] }
  | { status: 'nothing-to-do'; findingId: string; keyArn: string; reason: string }
  | { status: 'refused'; findingId: string; keyArn: string; reason: string };

export interface FixInput {
  finding: Finding;
  keyArn: string;
  /** When the finding was resolved, if it is. */
  resolvedAt?: string;
  /** When its current open period began: one exposure is fixed once (a reopened exposure is a new fix). */
  openedAt?: string;
  /** The stored state the finding was last seen in (the store's latest snapshot of the key). */
  recorded?: KeyState;
  /** The key as it is now; `{ error }` when it could not be read; undefined when not read (offline dry run). */
  live?: KeyState | { error: string };
  /** `--restore`: the stored states of the key, newest first, and the threshold of `--fail-on`. */
  restore?: { failOn: Severity; versions: KeyState[] };
}

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
};

/** The same policy always gives the same text, whatever its spacing and key order; invalid JSON stays as written. */
export function canonicalPolicy(text: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(text)));
  } catch {
    return text;
  }
}

const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

export const samePolicy = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && canonicalPolicy(a) === canonicalPolicy(b);

const isError = (live: FixInput['live']): live is { error: string } =>
  live !== undefined && 'error' in live && typeof live.error === 'string';

const grantIdOf = (finding: Finding): string | undefined =>
  finding.evidence.pointer.startsWith('grant:') ? finding.evidence.pointer.slice('grant:'.length) : undefined;

const recordedAt = (state: KeyState | undefined): string => (state?.asOf ? ` (recorded ${state.asOf})` : '');

/** A finding at or above the threshold that counts (not suppressed); unknown findings count at their severity. */
const blocks = (findings: Finding[], failOn: Severity): Finding[] =>
  findings.filter((f) => !f.suppressed && severityRank(f.severity) >= severityRank(failOn));

function changedSince(recorded: KeyState | undefined, live: KeyState): string | undefined {
  if (!recorded) return undefined;
  if (
    recorded.policyText !== undefined &&
    live.policyText !== undefined &&
    !samePolicy(recorded.policyText, live.policyText)
  ) {
    return `the key policy changed since the finding was recorded${recordedAt(recorded)}`;
  }
  if (recorded.keyState !== undefined && live.keyState !== undefined && recorded.keyState !== live.keyState) {
    return `the key state changed from ${recorded.keyState} to ${live.keyState} since the finding was recorded${recordedAt(recorded)}`;
  }
  return undefined;
}

const putPolicy = (
  keyArn: string,
  policy: string,
  previous: string | undefined,
  key: string,
  why: string,
): FixStep => ({
  action: 'PutKeyPolicy',
  keyArn,
  policy,
  bypassPolicyLockoutSafetyCheck: false,
  ...(previous !== undefined ? { previousPolicy: previous } : {}),
  // From this policy to that one: the same change is applied once; the same target from another state is new.
  idempotencyKey: `${key}:${previous === undefined ? 'unread' : shortHash(canonicalPolicy(previous))}>${shortHash(canonicalPolicy(policy))}`,
  why,
});

function planRestore(input: FixInput, current: KeyState | undefined): FixPlan {
  const { finding, keyArn } = input;
  const base = { findingId: finding.id, keyArn };
  const restore = input.restore!;
  const candidate = restore.versions.find(
    (v) => v.policyText !== undefined && blocks(v.findings, restore.failOn).length === 0,
  );
  if (!candidate?.policyText) {
    return {
      status: 'refused',
      ...base,
      reason: `no stored state of ${keyArn} has a readable policy without a finding at or above ${restore.failOn} (${restore.versions.length} state(s) stored): fix the policy by hand, or use --fail-on with a higher severity`,
    };
  }
  if (current && current.policyText === undefined) {
    return {
      status: 'refused',
      ...base,
      reason: `cannot read the current key policy of ${keyArn}, so it cannot be checked before it is replaced`,
    };
  }
  if (samePolicy(candidate.policyText, current?.policyText)) {
    return { status: 'nothing-to-do', ...base, reason: `the key already has the policy stored at ${candidate.asOf}` };
  }
  const why = `restore the policy stored at ${candidate.asOf}, the last one with no finding at or above ${restore.failOn}`;
  return {
    status: 'ready',
    ...base,
    steps: [
      putPolicy(
        keyArn,
        candidate.policyText,
        current?.policyText,
        `restore:${keyArn}${input.openedAt ? `@${input.openedAt}` : ''}`,
        why,
      ),
    ],
    notes: [],
  };
}

/** Plans the fix of one finding. Never throws; every refusal says why and what to do instead. */
export function planFix(input: FixInput): FixPlan {
  const { finding, keyArn, recorded } = input;
  const base = { findingId: finding.id, keyArn };
  if (isError(input.live)) {
    return {
      status: 'refused',
      ...base,
      reason: `cannot read ${keyArn} now (${input.live.error}); fix checks the live key before changing it: check credentials and network, then run again`,
    };
  }
  const live = input.live;
  const notes: string[] = [];
  if (!live) notes.push('the live key was not read: this plan is from the stored state only and may be out of date');
  if (live) {
    const change = changedSince(recorded, live);
    if (change) {
      return {
        status: 'refused',
        ...base,
        reason: `${change}: the fix was computed from the old state and could undo the newer change. Run \`keywarden scan --aws\` (or let the watch see the change), then fix the finding it reports`,
      };
    }
  }
  if (input.restore) return planRestore(input, live ?? recorded);

  if (input.resolvedAt !== undefined) {
    return { status: 'nothing-to-do', ...base, reason: `the finding was resolved at ${input.resolvedAt}` };
  }
  const current = live ?? recorded;
  if (live && !live.findings.some((f) => f.id === finding.id)) {
    return { status: 'nothing-to-do', ...base, reason: 'the live key no longer has this finding' };
  }
  const summary = finding.remediation.summary;
  const grantId = grantIdOf(finding);
  const fixKey = `fix:${finding.id}${input.openedAt ? `@${input.openedAt}` : ''}`;

  if (finding.rule === 'external-grant' && grantId) {
    if (current?.grantIds && !current.grantIds.includes(grantId)) {
      return { status: 'nothing-to-do', ...base, reason: `grant ${grantId} no longer exists` };
    }
    const why = `revoke grant ${grantId}: ${finding.title}`;
    return {
      status: 'ready',
      ...base,
      steps: [{ action: 'RevokeGrant', keyArn, grantId, idempotencyKey: `${fixKey}:revoke:${grantId}`, why }],
      notes,
    };
  }
  if (finding.rule === 'key-state') {
    const state = current?.keyState;
    if (state !== undefined && state !== 'PendingDeletion' && state !== 'PendingReplicaDeletion') {
      return {
        status: state === 'Disabled' ? 'refused' : 'nothing-to-do',
        ...base,
        reason:
          state === 'Disabled'
            ? `the key is disabled, not pending deletion; keywarden fix does not enable keys: ${summary}`
            : `the key is ${state}, not pending deletion`,
      };
    }
    const why = 'cancel the scheduled deletion (the key stays disabled until you enable it: aws kms enable-key)';
    return {
      status: 'ready',
      ...base,
      steps: [{ action: 'CancelKeyDeletion', keyArn, idempotencyKey: `${fixKey}:cancel-deletion`, why }],
      notes,
    };
  }
  const fixed = finding.remediation.fixedPolicy;
  if (fixed && live && live.policyText === undefined) {
    return {
      status: 'refused',
      ...base,
      reason: `cannot read the live key policy of ${keyArn}, so it cannot be checked before it is replaced`,
    };
  }
  if (fixed) {
    const policy = JSON.stringify(fixed, null, 2);
    if (samePolicy(policy, current?.policyText)) {
      return { status: 'nothing-to-do', ...base, reason: 'the key already has the corrected policy' };
    }
    return {
      status: 'ready',
      ...base,
      steps: [putPolicy(keyArn, policy, current?.policyText, fixKey, `put the corrected policy: ${summary}`)],
      notes,
    };
  }
  return {
    status: 'refused',
    ...base,
    reason: `no automatic fix for ${finding.rule} (keywarden fix applies corrected policies, revokes outside grants and cancels deletions): ${summary}`,
  };
}
