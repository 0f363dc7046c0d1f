/**
 * A deliberately simple policy judge for tests (the real one is the KMS engine, injected by cli/main.ts):
 * an Allow to `*` without Condition is public, an Allow naming another account is cross-account, the rest internal.
 */
import type { JudgePolicy } from '../../src/trail/detect/judge';

const list = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];

export const simpleJudge: JudgePolicy = (policyText, account) => {
  let document: { Statement?: unknown };
  try {
    document = JSON.parse(policyText);
  } catch (error) {
    return { reach: 'unknown', findings: [], error: `not JSON: ${(error as Error).message}` };
  }
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  let reach: 'public' | 'cross-account' | 'internal' = 'internal';
  for (const statement of statements as Array<Record<string, unknown>>) {
    if (statement?.Effect !== 'Allow') continue;
    const principal = statement.Principal as unknown;
    const aws = principal === '*' ? ['*'] : list((principal as Record<string, unknown> | undefined)?.AWS);
    if (aws.includes('*') && statement.Condition === undefined) return { reach: 'public', findings: [] };
    const others = aws.filter((p) => p !== '*' && !p.includes(account));
    if (others.length > 0) reach = 'cross-account';
  }
  return { reach, findings: [] };
};
