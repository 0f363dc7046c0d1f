/**
 * The judge backed by keywarden's own engine: the policy parser (src/policy) and the KMS access analysis
 * (src/kms/access), which decides reach from principals, conditions and account pins. cli/main.ts passes it to
 * registerTrailCommands; tests may pass a simpler one.
 */
import { analyseAccess } from '../../kms/access';
import { parsePolicyText } from '../../policy';
import type { JudgePolicy } from './judge';

export const engineJudge: JudgePolicy = (policyText, account) => {
  const parsed = parsePolicyText(policyText);
  if (!parsed.ok) {
    return { reach: 'unknown', findings: [], error: parsed.errors.map((error) => error.message).join('; ') };
  }
  const access = analyseAccess({ account, policy: parsed.policy });
  return {
    reach: access.reach,
    findings: [],
    ...(access.reach === 'unknown' && access.unknownReason ? { error: access.unknownReason } : {}),
  };
};
