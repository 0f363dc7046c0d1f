// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are literal ${...} text
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, parsePolicyValue } from '../../src/policy';
import type { Decision, Request } from '../../src/policy/types';
import { KEY_ARN, OWN, pair } from './differential-model';
import { simulate } from './iam-simulate';

/**
 * Differential test: generated key policies and requests, our evaluate() against @cloud-copilot/iam-simulate.
 * The generator covers what both engines model; the shapes they treat differently are pinned below, one test each,
 * and described in docs/policy-engine.md.
 */

function ours(policy: unknown, request: Request): Decision {
  const parsed = parsePolicyValue(policy);
  if (!parsed.ok) throw new Error(`generated policy rejected: ${JSON.stringify(parsed.errors)}`);
  return evaluate(parsed.policy, request).decision;
}

describe('differential: evaluate() vs iam-simulate', () => {
  it('agrees on 400 generated key policies and requests', async () => {
    const seen = { allow: 0, 'explicit-deny': 0, 'implicit-deny': 0 };
    await fc.assert(
      fc.asyncProperty(pair, async ([policy, request]) => {
        const decision = ours(policy, request);
        seen[decision]++;
        expect({ decision, policy, request }).toEqual({
          decision: await simulate(policy, request, OWN),
          policy,
          request,
        });
      }),
      { numRuns: 400 },
    );
    // The generator reaches every decision.
    expect(seen.allow).toBeGreaterThan(10);
    expect(seen['explicit-deny']).toBeGreaterThan(5);
  });
});

const user = `arn:aws:iam::${OWN}:user/alice`;
const anyone = { Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' };
const policyOf = (...statements: unknown[]) => ({ Version: '2012-10-17', Statement: statements });

/** [name, policy, request, our decision, iam-simulate's decision] */
const differences: [string, unknown, Request, Decision, Decision][] = [
  [
    'Deny + NotPrincipal naming only the account: every level of the caller must be listed (README rule 3)',
    policyOf(
      { Effect: 'Allow', Principal: { AWS: OWN }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: 'kms:*', Resource: '*' },
    ),
    { principal: user, action: 'kms:Decrypt' },
    'explicit-deny',
    'allow',
  ],
  [
    'ForAnyValue:...IfExists on an absent key: IfExists makes it true',
    policyOf({ ...anyone, Condition: { 'ForAnyValue:StringEqualsIfExists': { 'kms:EncryptionContextKeys': 'a' } } }),
    { principal: user, action: 'kms:Decrypt', context: {} },
    'allow',
    'implicit-deny',
  ],
  [
    'an ISO 8601 date against epoch seconds: iam-simulate reads epoch numbers as milliseconds',
    policyOf({ ...anyone, Condition: { DateEquals: { 'aws:CurrentTime': '2024-05-01T00:00:00Z' } } }),
    { principal: user, action: 'kms:Decrypt', context: { 'aws:CurrentTime': '1714521600' } },
    'allow',
    'implicit-deny',
  ],
  [
    'kms:EncryptionContext:<key>: iam-simulate ignores the key in the request context',
    policyOf({ ...anyone, Condition: { StringEquals: { 'kms:EncryptionContext:Department': 'Finance' } } }),
    { principal: user, action: 'kms:Decrypt', context: { 'kms:EncryptionContext:Department': 'Finance' } },
    'allow',
    'implicit-deny',
  ],
  [
    'a malformed number ("12abc"): iam-simulate parses its leading digits',
    policyOf({ ...anyone, Condition: { NumericEquals: { 'aws:MultiFactorAuthAge': '12' } } }),
    { principal: user, action: 'kms:Decrypt', context: { 'aws:MultiFactorAuthAge': '12abc' } },
    'implicit-deny',
    'allow',
  ],
  [
    'an account principal of another partition: we compare the partition too',
    policyOf({ ...anyone, Principal: { AWS: `arn:aws-cn:iam::${OWN}:root` } }),
    { principal: user, action: 'kms:Decrypt' },
    'implicit-deny',
    'allow',
  ],
  [
    'NotIpAddress with a bare IPv4 address and an IPv6 caller: a bare address is a /32 block',
    policyOf({ ...anyone, Condition: { NotIpAddress: { 'aws:SourceIp': '198.51.100.7' } } }),
    { principal: user, action: 'kms:Decrypt', context: { 'aws:SourceIp': '2001:db8::5' } },
    'allow',
    'implicit-deny',
  ],
  [
    'a Version 2008-10-17 policy: ${...} is plain text there, not a policy variable',
    {
      Version: '2008-10-17',
      Statement: [{ ...anyone, Condition: { StringEquals: { 'kms:CallerAccount': '${aws:PrincipalAccount}' } } }],
    },
    { principal: user, action: 'kms:Decrypt', context: { 'kms:CallerAccount': OWN, 'aws:PrincipalAccount': OWN } },
    'implicit-deny',
    'allow',
  ],
];

describe('documented differences from iam-simulate (docs/policy-engine.md)', () => {
  it.each(differences)('%s', async (_name, policy, request, expectedOurs, expectedTheirs) => {
    const withResource = { ...request, resource: KEY_ARN };
    expect(ours(policy, withResource)).toBe(expectedOurs);
    expect(await simulate(policy, withResource, OWN)).toBe(expectedTheirs);
  });
});
