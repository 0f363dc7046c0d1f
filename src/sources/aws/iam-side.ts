/**
 * The IAM side (issue 4, item 7): users, roles and groups of each account with their inline, managed and
 * permissions-boundary policies (iam:GetAccountAuthorizationDetails, every page), and with `--org` the SCPs and
 * RCPs that apply to the account. Returns plain data; the policy engine evaluates it.
 */
import {
  GetAccountAuthorizationDetailsCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import type { Gap } from '../../kms/snapshot';
import type { ScanTarget } from './accounts';
import { Channel, forEachLimited } from './concurrency';
import { errorCode, errorMessage, explainFailure } from './errors';
import type { IamAccountView, IamPolicy, IamPrincipal } from './iam-types';
import { OrganizationPolicyReader } from './org-policies';
import { decodePolicyDocument } from './policy-text';
import { openScope } from './scope';
import type { AwsSession } from './session';
import type { AwsScanOptions } from './types';

type Details = Omit<GetAccountAuthorizationDetailsCommandOutput, '$metadata'>;
type Managed = { document: IamPolicy['document']; error?: string };

async function readDetails(
  iam: IAMClient,
): Promise<Required<Pick<Details, 'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies'>>> {
  const all = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] } as Required<
    Pick<Details, 'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies'>
  >;
  let Marker: string | undefined;
  do {
    const page = await iam.send(
      new GetAccountAuthorizationDetailsCommand({ MaxItems: 1000, ...(Marker ? { Marker } : {}) }),
    );
    all.UserDetailList.push(...(page.UserDetailList ?? []));
    all.GroupDetailList.push(...(page.GroupDetailList ?? []));
    all.RoleDetailList.push(...(page.RoleDetailList ?? []));
    all.Policies.push(...(page.Policies ?? []));
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  return all;
}

/** Managed policy documents by ARN: from the details, and for any still missing, iam:GetPolicy + GetPolicyVersion. */
async function managedDocuments(iam: IAMClient, details: Awaited<ReturnType<typeof readDetails>>) {
  const documents = new Map<string, Managed>();
  for (const policy of details.Policies) {
    const version = policy.PolicyVersionList?.find(
      (v) => v.IsDefaultVersion || v.VersionId === policy.DefaultVersionId,
    );
    if (policy.Arn && version?.Document !== undefined)
      documents.set(policy.Arn, decodePolicyDocument(version.Document));
  }
  const referenced = new Set<string>();
  for (const entity of [...details.UserDetailList, ...details.GroupDetailList, ...details.RoleDetailList]) {
    for (const attached of entity.AttachedManagedPolicies ?? [])
      if (attached.PolicyArn) referenced.add(attached.PolicyArn);
    const boundary = 'PermissionsBoundary' in entity ? entity.PermissionsBoundary?.PermissionsBoundaryArn : undefined;
    if (boundary) referenced.add(boundary);
  }
  const missing = [...referenced].filter((arn) => !documents.has(arn));
  await forEachLimited(missing, 4, async (PolicyArn) => {
    try {
      const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn }));
      const VersionId = Policy?.DefaultVersionId ?? 'v1';
      const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId }));
      documents.set(PolicyArn, decodePolicyDocument(PolicyVersion?.Document));
    } catch (err) {
      documents.set(PolicyArn, { document: null, error: `${errorCode(err)}: ${errorMessage(err)}` });
    }
  });
  return documents;
}

type Attached = { PolicyName?: string; PolicyArn?: string };
type Inline = { PolicyName?: string; PolicyDocument?: string };

function policiesOf(
  inline: Inline[] | undefined,
  attached: Attached[] | undefined,
  managed: Map<string, Managed>,
  viaGroup?: string,
) {
  const via = viaGroup !== undefined ? { viaGroup } : {};
  const list: IamPolicy[] = [];
  for (const p of inline ?? [])
    list.push({ name: p.PolicyName ?? '', kind: 'inline', ...via, ...decodePolicyDocument(p.PolicyDocument) });
  for (const p of attached ?? []) {
    const found = managed.get(p.PolicyArn ?? '') ?? { document: null, error: 'managed policy document not found' };
    list.push({
      name: p.PolicyName ?? '',
      kind: 'managed',
      ...(p.PolicyArn ? { arn: p.PolicyArn } : {}),
      ...via,
      ...found,
    });
  }
  return list;
}

function boundaryOf(arn: string | undefined, managed: Map<string, Managed>): IamPolicy[] {
  if (!arn) return [];
  const found = managed.get(arn) ?? { document: null, error: 'permissions boundary document not found' };
  return [{ name: arn.split('/').pop() ?? arn, kind: 'permissions-boundary', arn, ...found }];
}

export function principalsOf(
  details: Awaited<ReturnType<typeof readDetails>>,
  managed: Map<string, Managed>,
): IamPrincipal[] {
  const groups = new Map(details.GroupDetailList.map((g) => [g.GroupName ?? '', g]));
  const principals: IamPrincipal[] = [];
  for (const g of details.GroupDetailList) {
    principals.push({
      arn: g.Arn ?? '',
      kind: 'group',
      name: g.GroupName ?? '',
      path: g.Path ?? '/',
      policies: policiesOf(g.GroupPolicyList, g.AttachedManagedPolicies, managed),
    });
  }
  for (const u of details.UserDetailList) {
    const memberOf = u.GroupList ?? [];
    const fromGroups = memberOf.flatMap((name) => {
      const group = groups.get(name);
      return group ? policiesOf(group.GroupPolicyList, group.AttachedManagedPolicies, managed, name) : [];
    });
    principals.push({
      arn: u.Arn ?? '',
      kind: 'user',
      name: u.UserName ?? '',
      path: u.Path ?? '/',
      groups: memberOf,
      policies: [
        ...policiesOf(u.UserPolicyList, u.AttachedManagedPolicies, managed),
        ...fromGroups,
        ...boundaryOf(u.PermissionsBoundary?.PermissionsBoundaryArn, managed),
      ],
    });
  }
  for (const r of details.RoleDetailList) {
    const trust = decodePolicyDocument(r.AssumeRolePolicyDocument).document;
    principals.push({
      arn: r.Arn ?? '',
      kind: 'role',
      name: r.RoleName ?? '',
      path: r.Path ?? '/',
      policies: [
        ...policiesOf(r.RolePolicyList, r.AttachedManagedPolicies, managed),
        ...boundaryOf(r.PermissionsBoundary?.PermissionsBoundaryArn, managed),
      ],
      ...(trust ? { trustPolicy: trust } : {}),
    });
  }
  return principals;
}

async function readAccount(
  session: AwsSession,
  target: ScanTarget,
  org: OrganizationPolicyReader | undefined,
): Promise<IamAccountView> {
  const iam = session.client(IAMClient, session.homeRegion, target.credentials);
  const details = await readDetails(iam);
  const managed = await managedDocuments(iam, details);
  const view: IamAccountView = {
    account: target.account,
    collectedAt: new Date().toISOString(),
    principals: principalsOf(details, managed),
  };
  if (org) view.organization = await org.policiesFor(target.account);
  return view;
}

/** One IamAccountView per readable account; a Gap for each account (or the whole run) that cannot be read. */
export async function* collectIamSide(options: AwsScanOptions): AsyncGenerator<IamAccountView | Gap> {
  const channel = new Channel<IamAccountView | Gap>();
  const run = (async () => {
    const scope = await openScope(options, (gap) => channel.push(gap), false);
    if (!scope) return;
    try {
      const org = options.org ? new OrganizationPolicyReader(scope.session) : undefined;
      await forEachLimited(scope.targets, 4, async (target) => {
        try {
          await channel.push(await readAccount(scope.session, target, org));
        } catch (err) {
          const reason = explainFailure(
            err,
            'read the IAM users, roles and policies (iam:GetAccountAuthorizationDetails)',
            `account ${target.account}`,
            'account',
            'grant iam:GetAccountAuthorizationDetails, iam:GetPolicy and iam:GetPolicyVersion (docs/permissions.md)',
          );
          await channel.push({ gap: true, account: target.account, reason });
        }
      });
    } finally {
      scope.session.destroy();
    }
  })()
    .catch((err) =>
      channel.push({ gap: true, reason: `the IAM read stopped: ${errorCode(err)}: ${errorMessage(err)}` }),
    )
    .finally(() => channel.close());
  try {
    yield* channel;
  } finally {
    await run;
  }
}
