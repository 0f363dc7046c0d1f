/**
 * Judging a key policy found in an event is the KMS engine's job; the investigations receive it as a function so
 * the pure core stays independent of how (and by whom) the engine is built. cli/main.ts wires the real engine.
 */

export type PolicyReach = 'public' | 'cross-account' | 'internal' | 'unknown';

export interface PolicyJudgementFinding {
  rule: string;
  severity: string;
  title: string;
}

export interface PolicyJudgement {
  reach: PolicyReach;
  findings: PolicyJudgementFinding[];
  /** Set when the engine could not judge the policy (unparseable, unsupported): reach is then 'unknown'. */
  error?: string;
}

/** `account` is the key's account: principals of other accounts make a policy cross-account. */
export type JudgePolicy = (policyText: string, account: string) => PolicyJudgement;

/** Calls the judge and turns a thrown error into an 'unknown' judgement with the reason: a bad policy never stops a run. */
export const judgeSafely = (judge: JudgePolicy, policyText: string, account: string): PolicyJudgement => {
  try {
    const judgement = judge(policyText, account);
    return judgement ?? { reach: 'unknown', findings: [], error: 'the policy judge returned nothing' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { reach: 'unknown', findings: [], error: `the policy judge failed: ${message}` };
  }
};
