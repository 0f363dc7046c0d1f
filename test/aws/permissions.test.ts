/**
 * docs/permissions.md lists exactly the AWS actions the collector sends: a full mocked scan (Organization, all
 * regions, IAM side, Access Analyzer) records every SDK command, and both sets must be equal.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectAws, collectIamSide, readAccessAnalyzerFindings } from '../../src/sources/aws';
import { mockEstate, RSA_KEY } from './aws-mocks';
import { TEST_ENV, withEnv } from './fixtures';

/** IAM service prefix of each mocked client. */
const PREFIX = {
  sts: 'sts',
  kms: 'kms',
  org: 'organizations',
  account: 'account',
  iam: 'iam',
  analyzer: 'access-analyzer',
};

function documentedActions(): Set<string> {
  const doc = readFileSync(new URL('../../docs/permissions.md', import.meta.url), 'utf8');
  const block = /<!-- keywarden:scanner-policy -->\s*```json\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/permissions.md has no scanner policy block');
  const policy = JSON.parse(block) as { Statement: Array<{ Effect: string; Action: string | string[] }> };
  return new Set(
    policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) =>
      Array.isArray(s.Action) ? s.Action : [s.Action],
    ),
  );
}

let restoreEnv: () => void;
let estate: ReturnType<typeof mockEstate>;
beforeEach(() => {
  restoreEnv = withEnv(TEST_ENV);
  estate = mockEstate({ policyDenied: [RSA_KEY], assumeRoleDenied: ['444444444444'] });
});
afterEach(() => {
  estate.restore();
  restoreEnv();
});

async function drain(source: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of source) n += 1;
  return n;
}

function sentActions(): Set<string> {
  const sent = new Set<string>();
  for (const [client, prefix] of Object.entries(PREFIX)) {
    const mock = estate[client as keyof typeof PREFIX];
    for (const call of mock.calls()) {
      const command = call.args[0] as { constructor: { name: string } };
      sent.add(`${prefix}:${command.constructor.name.replace(/Command$/, '')}`);
    }
  }
  return sent;
}

describe('docs/permissions.md', () => {
  it('documents exactly the actions a full scan sends', async () => {
    const options = { org: true, regions: 'all' as const, iam: true, accessAnalyzer: true };
    expect(await drain(collectAws(options))).toBeGreaterThan(0);
    expect(await drain(collectIamSide(options))).toBeGreaterThan(0);
    expect(await drain(readAccessAnalyzerFindings(options))).toBeGreaterThan(0);
    const sent = sentActions();
    // The scan reached the conditional calls too (rotation, a refused policy, a boundary outside the details).
    expect(sent).toContain('kms:GetKeyRotationStatus');
    expect(sent).toContain('iam:GetPolicyVersion');
    const documented = documentedActions();
    expect([...sent].filter((a) => !documented.has(a)).sort()).toEqual([]);
    expect([...documented].filter((a) => !sent.has(a)).sort()).toEqual([]);
  });
});
