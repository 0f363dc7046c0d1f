/**
 * The key-policy corpus runner: every case in the format of ../shared/corpus/key-policies/README.md. Each reach,
 * externalAccounts, separationOfDuties and request check counts as one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseAccess } from '../src/kms/access';
import { decide } from '../src/kms/decide';
import type { Grant } from '../src/kms/snapshot';
import { parsePolicyValue } from '../src/policy';
import type { ContextValue } from '../src/policy/types';

interface Case {
  id: string;
  account: string;
  keyPolicy: unknown;
  grants?: Grant[];
  expect: {
    reach: string;
    externalAccounts: string[];
    separationOfDuties?: boolean;
    requests: Array<{ principal: string; action: string; context?: Record<string, ContextValue>; decision: string }>;
  };
}

export interface CorpusResult {
  passed: number;
  failed: number;
  failures: string[];
}

export function runCorpus(dir: string): CorpusResult {
  const result: CorpusResult = { passed: 0, failed: 0, failures: [] };
  const check = (ok: boolean, message: string) => {
    if (ok) result.passed++;
    else {
      result.failed++;
      result.failures.push(message);
    }
  };
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (const file of files) {
    let c: Case;
    try {
      c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Case;
    } catch (e) {
      check(false, `${file}: not valid JSON: ${(e as Error).message}`);
      continue;
    }
    const parsed = parsePolicyValue(c.keyPolicy);
    if (!parsed.ok) {
      check(false, `${c.id}: policy rejected: ${parsed.errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`);
      continue;
    }
    const grants = c.grants ?? [];
    const access = analyseAccess({ account: c.account, policy: parsed.policy, grants });
    check(access.reach === c.expect.reach, `${c.id}: reach ${access.reach}, expected ${c.expect.reach}`);
    const got = JSON.stringify(access.externalAccounts);
    const want = JSON.stringify([...c.expect.externalAccounts].sort());
    check(got === want, `${c.id}: externalAccounts ${got}, expected ${want}`);
    if (c.expect.separationOfDuties !== undefined) {
      const sod = access.separationOfDuties.ok;
      check(
        sod === c.expect.separationOfDuties,
        `${c.id}: separationOfDuties ${sod}, expected ${c.expect.separationOfDuties}${sod ? '' : ` (violators: ${access.separationOfDuties.violators.map((v) => v.principal).join(', ')})`}`,
      );
    }
    for (const [i, r] of c.expect.requests.entries()) {
      const decision = decide(c.account, parsed.policy, grants, {
        principal: r.principal,
        action: r.action,
        context: r.context,
      }).decision;
      check(
        decision === r.decision,
        `${c.id}: request ${i} ${r.principal} ${r.action}${r.context ? ` ${JSON.stringify(r.context)}` : ''}: ${decision}, expected ${r.decision}`,
      );
    }
  }
  return result;
}
