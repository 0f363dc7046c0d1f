/**
 * `keywarden fix FINDING-ID`: plan the finding's remediation against the stored state and the live key, show it
 * (dry run, the default) or apply it (`--execute`), and record every step in the store's remediation log. A step
 * already applied (same idempotency key) is not applied again. After applying, the key is read again and its
 * findings recorded, so the store knows the finding is resolved.
 */
import type { Finding, Severity } from '../findings/types';
import { type ApiError, isApiError, type RawSnapshot } from '../kms/snapshot-format';
import type { StepOutcome } from '../respond/aws/fix';
import { type FixPlan, type FixStep, type KeyState, planFix } from '../respond/plan/fix';
import type { AnalysisOptions } from '../rules/engine';
import type { Store } from '../store/store';
import { analyseRecord } from './watch-analyse';
import type { KeyFetcher } from './watch-fetch';
import { failedCallsOf } from './watch-snapshot';

export interface FixDeps {
  store: Store;
  /** Reads the live key; absent = offline (dry run from the stored state only). */
  fetchKey?: KeyFetcher;
  /** Applies a step through AWS; required for `execute`. */
  execute?: (step: FixStep) => Promise<StepOutcome>;
  now: () => string;
  /** Who runs the fix (the caller's ARN), for the log. */
  actor?: string;
}

export interface FixRequest {
  findingId: string;
  execute: boolean;
  restore: boolean;
  failOn: Severity;
  analysis: AnalysisOptions;
}

export type StepResult = { step: FixStep; outcome: StepOutcome['outcome'] | 'dry-run'; message: string };

export interface FixResult {
  status: 'planned' | 'applied' | 'nothing-to-do' | 'refused' | 'failed' | 'not-found';
  message: string;
  plan?: FixPlan;
  steps: StepResult[];
  /** After applying: the finding ids the new reading of the key resolved. */
  resolved?: string[];
  /** 0 planned, applied or nothing to do; 1 refused or a step failed; 2 the finding or the key could not be read. */
  exitCode: 0 | 1 | 2;
}

const field = <T extends object>(value: T | ApiError | undefined): T | undefined =>
  value === undefined || isApiError(value) ? undefined : value;

export function keyStateOf(raw: RawSnapshot, keyArn: string, analysis: AnalysisOptions, asOf?: string): KeyState {
  const policy = field(raw.GetKeyPolicy);
  const grants = field(raw.ListGrants);
  const metadata = field(raw.DescribeKey);
  const keyState = metadata?.KeyMetadata.KeyState;
  return {
    ...(asOf ? { asOf } : {}),
    ...(policy ? { policyText: policy.Policy } : {}),
    ...(grants ? { grantIds: grants.Grants.map((g) => String(g.GrantId)) } : {}),
    ...(typeof keyState === 'string' ? { keyState } : {}),
    findings: analyseRecord(raw, analysis, keyArn).findings,
  };
}

type LiveRead = { error: string } | { state: KeyState; raw: RawSnapshot };

async function readLive(deps: FixDeps, keyArn: string, analysis: AnalysisOptions): Promise<LiveRead | undefined> {
  if (!deps.fetchKey) return undefined;
  let raw: RawSnapshot;
  try {
    raw = await deps.fetchKey(keyArn);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  const failed = failedCallsOf(raw);
  if (failed.some((c) => c.call === 'DescribeKey') && failed.length >= 3) {
    return { error: failed.map((c) => `${c.call}: ${c.code}: ${c.message}`).join('; ') };
  }
  return { state: keyStateOf(raw, keyArn, analysis), raw };
}

export async function runFix(deps: FixDeps, request: FixRequest): Promise<FixResult> {
  const { store } = deps;
  const record = await store.getFinding(request.findingId);
  if (!record) {
    return {
      status: 'not-found',
      message: `no finding ${request.findingId} in the store: finding ids look like KW-…; run \`keywarden scan --aws\` or \`keywarden watch\` with the same --db first`,
      steps: [],
      exitCode: 2,
    };
  }
  const { keyArn } = record;
  const latest = await store.getLatestSnapshot(keyArn);
  const recorded = latest ? keyStateOf(latest.snapshot, keyArn, request.analysis, latest.asOf) : undefined;
  const live = await readLive(deps, keyArn, request.analysis);
  const versions = request.restore
    ? (await store.listSnapshotVersions(keyArn, 100)).map((v) =>
        keyStateOf(v.snapshot, keyArn, request.analysis, v.asOf),
      )
    : [];
  const plan = planFix({
    finding: record.finding as Finding,
    keyArn,
    ...(record.resolvedAt ? { resolvedAt: record.resolvedAt } : {}),
    openedAt: record.openedAt,
    ...(recorded ? { recorded } : {}),
    ...(live ? { live: 'error' in live ? { error: live.error } : live.state } : {}),
    ...(request.restore ? { restore: { failOn: request.failOn, versions } } : {}),
  });
  if (plan.status !== 'ready') {
    const unreadable = live !== undefined && 'error' in live;
    return {
      status: plan.status,
      message: plan.reason,
      plan,
      steps: [],
      exitCode: plan.status === 'nothing-to-do' ? 0 : unreadable ? 2 : 1,
    };
  }

  const now = deps.now();
  const steps: StepResult[] = [];
  const log = (step: FixStep, outcome: StepResult['outcome'], message: string, key: string) =>
    store.recordAction({
      idempotencyKey: key,
      at: deps.now(),
      action: step.action,
      target: step.action === 'RevokeGrant' ? `${keyArn}#grant/${step.grantId}` : keyArn,
      findingId: record.id,
      outcome,
      ...(deps.actor ? { actor: deps.actor } : {}),
      detail: { step, message },
    });
  for (const step of plan.steps) {
    if (!request.execute) {
      const message = `would ${step.why}`;
      steps.push({ step, outcome: 'dry-run', message });
      await log(step, 'dry-run', message, `${step.idempotencyKey}#dry-run@${now}`);
      continue;
    }
    const done = await store.getAction(step.idempotencyKey);
    if (done?.outcome === 'applied') {
      steps.push({ step, outcome: 'skipped', message: `already applied at ${done.at} (${step.idempotencyKey})` });
      continue;
    }
    if (!deps.execute) throw new Error('fix --execute needs an executor (AWS access): none was given');
    const result = await deps.execute(step);
    steps.push({ step, outcome: result.outcome, message: result.message });
    const key =
      result.outcome === 'applied' ? step.idempotencyKey : `${step.idempotencyKey}#${result.outcome}@${deps.now()}`;
    await log(step, result.outcome, result.message, key);
    if (result.outcome === 'failed') break;
  }

  const failed = steps.some((s) => s.outcome === 'failed');
  let resolved: string[] | undefined;
  if (request.execute && !failed && deps.fetchKey) {
    // Times come from the caller's clock, like every other write of this use case.
    const at = deps.now();
    const after = { ...(await deps.fetchKey(keyArn)), collectedAt: at };
    await store.saveSnapshot({
      keyArn,
      account: after.account,
      region: after.region,
      collectedAt: at,
      snapshot: after,
    });
    const diff = await store.recordFindings(keyArn, at, analyseRecord(after, request.analysis, keyArn).findings);
    resolved = diff.status === 'recorded' ? diff.resolved : [];
  }
  return {
    status: !request.execute ? 'planned' : failed ? 'failed' : 'applied',
    message: !request.execute
      ? 'dry run: nothing was changed; run again with --execute to apply'
      : failed
        ? (steps.find((s) => s.outcome === 'failed')?.message ?? 'a step failed')
        : `applied ${steps.filter((s) => s.outcome === 'applied').length} step(s)`,
    plan,
    steps,
    ...(resolved ? { resolved } : {}),
    exitCode: failed ? 1 : 0,
  };
}
