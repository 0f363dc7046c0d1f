/**
 * A mocked AWS estate for aws-sdk-client-mock tests, answering with the fixtures: the management account
 * 111122223333 and its Organization; each account holds the five fixture keys in every region (ARNs rewritten
 * to the account and region asked). Assumed-role credentials carry the account in their access key id.
 */
import { AccessAnalyzerClient, ListAnalyzersCommand, ListFindingsCommand } from '@aws-sdk/client-accessanalyzer';
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import {
  GetAccountAuthorizationDetailsCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  KMSInvalidStateException,
  KMSServiceException,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import {
  DescribePolicyCommand,
  ListAccountsCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { fixture, serviceError } from './fixtures';

export const MANAGEMENT = '111122223333';
export const RSA_KEY = '0987dcba-09fe-87dc-65ba-ab0987654321';
export const PENDING_KEY = '6f7e8d9c-0b1a-4c3d-9e8f-a1b2c3d4e5f6';

export interface EstateOptions {
  /** Regions where KMS refuses the credentials (opt-in regions not enabled). */
  regionsNotEnabled?: string[];
  /** Accounts whose role cannot be assumed. */
  assumeRoleDenied?: string[];
  /** Keys whose GetKeyPolicy is denied (key ids). */
  policyDenied?: string[];
  /** Keys whose DescribeKey is denied (key ids). */
  describeDenied?: string[];
}

type ClientLike = { config: { region: () => Promise<string>; credentials: () => Promise<{ accessKeyId: string }> } };

async function whereOf(getClient: () => unknown) {
  const client = getClient() as ClientLike;
  const { accessKeyId } = await client.config.credentials();
  const account = accessKeyId.startsWith('ASIA') ? accessKeyId.slice(4, 16) : MANAGEMENT;
  return { account, region: await client.config.region() };
}

const placed = (account: string, region: string) => (text: string) =>
  text.replaceAll('111122223333', account).replaceAll('us-west-2', region);

const keyIdOf = (keyIdOrArn: string) => keyIdOrArn.split('/').pop() ?? keyIdOrArn;

export function mockEstate(options: EstateOptions = {}) {
  const sts = mockClient(STSClient);
  const kms = mockClient(KMSClient);
  const org = mockClient(OrganizationsClient);
  const account = mockClient(AccountClient);
  const iam = mockClient(IAMClient);
  const analyzer = mockClient(AccessAnalyzerClient);

  sts.on(GetCallerIdentityCommand).resolves(fixture('sts-get-caller-identity'));
  sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
    const target = input.RoleArn.split(':')[4] ?? '';
    if (options.assumeRoleDenied?.includes(target)) throw serviceError(STSServiceException, 'AccessDenied');
    const out = fixture('sts-assume-role', placed(target, 'us-west-2'));
    out.Credentials.AccessKeyId = `ASIA${target}`;
    return out;
  });

  const kmsFake =
    <I>(answer: (input: I, where: { account: string; region: string }) => unknown) =>
    async (input: I, getClient: () => unknown) => {
      const where = await whereOf(getClient);
      if (options.regionsNotEnabled?.includes(where.region)) {
        throw serviceError(KMSServiceException, 'UnrecognizedClientException');
      }
      return answer(input, where);
    };
  kms
    .on(ListKeysCommand)
    .callsFake(
      kmsFake<{ Marker?: string }>((input, w) =>
        fixture(input.Marker ? 'kms-list-keys-page2' : 'kms-list-keys-page1', placed(w.account, w.region)),
      ),
    );
  kms.on(ListAliasesCommand).callsFake(kmsFake((_, w) => fixture('kms-list-aliases', placed(w.account, w.region))));
  kms.on(DescribeKeyCommand).callsFake(
    kmsFake<{ KeyId: string }>((input, w) => {
      const keyId = keyIdOf(input.KeyId);
      if (options.describeDenied?.includes(keyId)) throw serviceError(KMSServiceException, 'AccessDeniedException');
      return fixture('kms-describe-key', placed(w.account, w.region))[keyId];
    }),
  );
  kms.on(GetKeyPolicyCommand).callsFake(
    kmsFake<{ KeyId: string }>((input, w) => {
      if (options.policyDenied?.includes(keyIdOf(input.KeyId))) {
        throw serviceError(KMSServiceException, 'AccessDeniedException');
      }
      return fixture('kms-get-key-policy', placed(w.account, w.region));
    }),
  );
  kms.on(ListGrantsCommand).callsFake(
    kmsFake<{ KeyId: string; Marker?: string }>((input, w) => {
      if (keyIdOf(input.KeyId) !== '1234abcd-12ab-34cd-56ef-1234567890ab') return { Grants: [], Truncated: false };
      return fixture(input.Marker ? 'kms-list-grants-page2' : 'kms-list-grants-page1', placed(w.account, w.region));
    }),
  );
  kms
    .on(ListResourceTagsCommand)
    .callsFake(kmsFake((_, w) => fixture('kms-list-resource-tags', placed(w.account, w.region))));
  kms.on(GetKeyRotationStatusCommand).callsFake(
    kmsFake<{ KeyId: string }>((input, w) => {
      if (keyIdOf(input.KeyId) === PENDING_KEY)
        throw serviceError(KMSInvalidStateException, 'KMSInvalidStateException');
      return fixture('kms-get-key-rotation-status', placed(w.account, w.region));
    }),
  );

  org
    .on(ListAccountsCommand)
    .callsFake((input: { NextToken?: string }) =>
      fixture(input.NextToken ? 'organizations-list-accounts-page2' : 'organizations-list-accounts-page1'),
    );
  org.on(ListRootsCommand).resolves(fixture('organizations-list-roots'));
  org.on(ListParentsCommand).callsFake(
    (input: { ChildId: string }) =>
      fixture('organizations-list-parents')[input.ChildId] ?? {
        Parents: [{ Id: 'ou-examplerootid111-exampleouid111', Type: 'ORGANIZATIONAL_UNIT' }],
      },
  );
  org
    .on(ListPoliciesForTargetCommand)
    .callsFake(
      (input: { TargetId: string; Filter: string }) =>
        fixture('organizations-list-policies-for-target')[`${input.Filter} ${input.TargetId}`] ?? { Policies: [] },
    );
  org
    .on(DescribePolicyCommand)
    .callsFake((input: { PolicyId: string }) => fixture('organizations-describe-policy')[input.PolicyId]);

  account
    .on(ListRegionsCommand)
    .callsFake((input: { NextToken?: string }) =>
      fixture(input.NextToken ? 'account-list-regions-page2' : 'account-list-regions-page1'),
    );

  iam
    .on(GetAccountAuthorizationDetailsCommand)
    .callsFake((input: { Marker?: string }) =>
      fixture(
        input.Marker ? 'iam-get-account-authorization-details-page2' : 'iam-get-account-authorization-details-page1',
      ),
    );
  iam.on(GetPolicyCommand).resolves(fixture('iam-get-policy'));
  iam.on(GetPolicyVersionCommand).resolves(fixture('iam-get-policy-version'));

  analyzer.on(ListAnalyzersCommand).resolves(fixture('accessanalyzer-list-analyzers'));
  analyzer
    .on(ListFindingsCommand)
    .callsFake((input: { nextToken?: string }) =>
      fixture(input.nextToken ? 'accessanalyzer-list-findings-page2' : 'accessanalyzer-list-findings-page1'),
    );

  const clients = { sts, kms, org, account, iam, analyzer };
  return {
    ...clients,
    restore: () => {
      for (const mock of Object.values(clients)) mock.restore();
    },
  };
}
