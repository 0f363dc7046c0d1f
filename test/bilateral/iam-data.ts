/**
 * Test data in AWS's own shapes, turned into the collector's IamAccountView by the collector's own code:
 * iam:GetAccountAuthorizationDetails output (principalsOf, decodePolicyDocument) and Organizations DescribePolicy
 * outputs per level of the tree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicyText } from '../../src/policy';
import type { ParsedPolicy } from '../../src/policy/types';
import type { IamAccountView, OrgPolicyLevel, OrgPolicySet } from '../../src/sources/aws';
import { principalsOf } from '../../src/sources/aws/iam-side';
import { decodePolicyDocument } from '../../src/sources/aws/policy-text';

export const FIXTURES = join(import.meta.dirname, 'fixtures');
export const OWNER = '111122223333';
export const PARTNER = '444455556666';
export const KEY_ARN = `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export const fixture = <T = unknown>(name: string): T => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;

type Details = Parameters<typeof principalsOf>[0];

/** An account's IAM side from a GetAccountAuthorizationDetails response (one page, as the collector merges them). */
export function accountFromDetails(account: string, file: string): IamAccountView {
  const details = fixture<Details>(file);
  const managed = new Map<
    string,
    { document: IamAccountView['principals'][number]['policies'][number]['document']; error?: string }
  >();
  for (const policy of details.Policies) {
    const version = policy.PolicyVersionList?.find((v) => v.IsDefaultVersion);
    if (policy.Arn && version?.Document) managed.set(policy.Arn, decodePolicyDocument(version.Document));
  }
  return {
    account,
    collectedAt: '2024-03-14T10:00:00.000Z',
    principals: principalsOf(
      {
        UserDetailList: details.UserDetailList ?? [],
        GroupDetailList: details.GroupDetailList ?? [],
        RoleDetailList: details.RoleDetailList ?? [],
        Policies: details.Policies ?? [],
      },
      managed,
    ),
  };
}

interface DescribePolicyOutput {
  Policy: {
    PolicySummary: { Id: string; Arn: string; Name: string; AwsManaged: boolean };
    Content: string;
  };
}

/** An enabled SCP or RCP set from DescribePolicy outputs per level (root first). */
export function policySet(
  levels: Array<{ targetId: string; targetType: OrgPolicyLevel['targetType']; policies: DescribePolicyOutput[] }>,
): OrgPolicySet {
  return {
    status: 'enabled',
    levels: levels.map((l) => ({
      targetId: l.targetId,
      targetType: l.targetType,
      policies: l.policies.map(({ Policy }) => ({
        id: Policy.PolicySummary.Id,
        name: Policy.PolicySummary.Name,
        arn: Policy.PolicySummary.Arn,
        awsManaged: Policy.PolicySummary.AwsManaged,
        ...decodePolicyDocument(Policy.Content),
      })),
    })),
  };
}

export const orgFixture = () =>
  fixture<Record<'scp' | 'scpS3OnlyAccount' | 'rcp', Parameters<typeof policySet>[0]>>('organization-policies.json');

export function keyPolicy(text = readFileSync(join(FIXTURES, 'key-policy.json'), 'utf8')): ParsedPolicy {
  const parsed = parsePolicyText(text);
  if (!parsed.ok) throw new Error(parsed.errors[0]?.message);
  return parsed.policy;
}
