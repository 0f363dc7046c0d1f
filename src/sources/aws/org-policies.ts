/**
 * The SCPs and RCPs that apply to an account: the policies attached to the root, each OU on the way down, and
 * the account itself (Organizations ListRoots, ListParents, ListPoliciesForTarget, DescribePolicy). Results are
 * shared between accounts of the same OUs.
 */
import {
  DescribePolicyCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { errorCode, errorMessage } from './errors';
import type { OrganizationPolicies, OrgPolicy, OrgPolicyLevel, OrgPolicySet, OrgPolicyType } from './iam-types';
import { decodePolicyDocument } from './policy-text';
import type { AwsSession } from './session';

type Target = { id: string; type: OrgPolicyLevel['targetType'] };

const MAX_DEPTH = 10; // Organizations allows five levels of OUs below the root

const memo = <T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> => {
  let value = cache.get(key);
  if (!value) {
    value = load();
    cache.set(key, value);
  }
  return value;
};

const describe = (err: unknown) => `${errorCode(err)}: ${errorMessage(err)}`;

export class OrganizationPolicyReader {
  private readonly org: OrganizationsClient;
  private readonly roots = new Map<string, Promise<Set<string>>>();
  private readonly parents = new Map<string, Promise<Target>>();
  private readonly attached = new Map<string, Promise<OrgPolicy[]>>();

  constructor(session: AwsSession) {
    this.org = session.client(OrganizationsClient, session.homeRegion);
  }

  /** Policy types enabled on the root. */
  private enabledTypes(): Promise<Set<string>> {
    return memo(this.roots, 'root', async () => {
      const { Roots } = await this.org.send(new ListRootsCommand({}));
      const enabled = (Roots?.[0]?.PolicyTypes ?? []).filter((t) => t.Status === 'ENABLED').map((t) => t.Type ?? '');
      return new Set(enabled);
    });
  }

  private parentOf(childId: string): Promise<Target> {
    return memo(this.parents, childId, async () => {
      const { Parents } = await this.org.send(new ListParentsCommand({ ChildId: childId }));
      const parent = Parents?.[0];
      if (!parent?.Id) throw new Error(`Organizations returned no parent for ${childId}`);
      return { id: parent.Id, type: parent.Type === 'ROOT' ? 'ROOT' : 'ORGANIZATIONAL_UNIT' };
    });
  }

  /** Root first, the account last. */
  private async pathOf(account: string): Promise<Target[]> {
    const path: Target[] = [{ id: account, type: 'ACCOUNT' }];
    while (path[0]?.type !== 'ROOT') {
      if (path.length > MAX_DEPTH) throw new Error(`the OU tree above account ${account} is deeper than ${MAX_DEPTH}`);
      path.unshift(await this.parentOf(path[0]?.id ?? account));
    }
    return path;
  }

  private attachedTo(type: OrgPolicyType, target: string): Promise<OrgPolicy[]> {
    return memo(this.attached, `${type} ${target}`, async () => {
      const summaries = [];
      let NextToken: string | undefined;
      do {
        const page = await this.org.send(
          new ListPoliciesForTargetCommand({ TargetId: target, Filter: type, ...(NextToken ? { NextToken } : {}) }),
        );
        summaries.push(...(page.Policies ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
      return Promise.all(summaries.map((summary) => this.policy(summary)));
    });
  }

  private async policy(summary: {
    Id?: string;
    Name?: string;
    Arn?: string;
    AwsManaged?: boolean;
  }): Promise<OrgPolicy> {
    const base = {
      id: summary.Id ?? '',
      name: summary.Name ?? '',
      ...(summary.Arn ? { arn: summary.Arn } : {}),
      awsManaged: summary.AwsManaged ?? false,
    };
    try {
      const { Policy } = await this.org.send(new DescribePolicyCommand({ PolicyId: base.id }));
      return { ...base, ...decodePolicyDocument(Policy?.Content) };
    } catch (err) {
      return { ...base, document: null, error: describe(err) };
    }
  }

  private async policySet(type: OrgPolicyType, path: Target[], enabled: Set<string>): Promise<OrgPolicySet> {
    if (!enabled.has(type)) return { status: 'not-enabled' };
    try {
      const levels = await Promise.all(
        path.map(async (t) => ({ targetId: t.id, targetType: t.type, policies: await this.attachedTo(type, t.id) })),
      );
      return { status: 'enabled', levels };
    } catch (err) {
      return { status: 'unknown', reason: `could not list the ${type} policies: ${describe(err)}` };
    }
  }

  async policiesFor(account: string): Promise<OrganizationPolicies> {
    let enabled: Set<string>;
    let path: Target[];
    try {
      [enabled, path] = await Promise.all([this.enabledTypes(), this.pathOf(account)]);
    } catch (err) {
      const unknown: OrgPolicySet = {
        status: 'unknown',
        reason: `could not read the Organization tree above account ${account} (organizations:ListRoots, ListParents): ${describe(err)}; run from the management account or a delegated administrator`,
      };
      return { serviceControlPolicies: unknown, resourceControlPolicies: unknown };
    }
    const [serviceControlPolicies, resourceControlPolicies] = await Promise.all([
      this.policySet('SERVICE_CONTROL_POLICY', path, enabled),
      this.policySet('RESOURCE_CONTROL_POLICY', path, enabled),
    ]);
    return { serviceControlPolicies, resourceControlPolicies };
  }
}
