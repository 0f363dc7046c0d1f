/**
 * IAM policies in a template that concern KMS: inline Policies of roles, users and groups, AWS::IAM::Policy,
 * AWS::IAM::ManagedPolicy (attached through Roles/Users/Groups or ManagedPolicyArns) and
 * AWS::IAM::RolePolicy/UserPolicy/GroupPolicy, each with what it is attached to.
 */
import { mentionsKms } from '../kms-relevance';
import { childPointer } from '../pointer';
import type { TemplatePolicy, TemplatePolicyKind } from '../types';
import { resolveLocated } from './located';
import { IAM_KIND_OF_TYPE, type IamKind, iamArnOf, iamArnOfName, iamNameOf } from './names';
import { type CfnRead, isCreated, propertyPointer, referencedId } from './read-context';
import { type CfnResource, isRecord } from './template';

export interface Principal {
  /** Logical id when the principal is defined in the template. */
  id?: string;
  name: string;
  arn: string;
  kind: IamKind;
}

const INLINE_KIND: Record<string, TemplatePolicyKind> = {
  'AWS::IAM::Role': 'role',
  'AWS::IAM::User': 'user',
  'AWS::IAM::Group': 'group',
};

const SINGLE_POLICY_TARGET: Record<string, [string, IamKind]> = {
  'AWS::IAM::RolePolicy': ['RoleName', 'role'],
  'AWS::IAM::UserPolicy': ['UserName', 'user'],
  'AWS::IAM::GroupPolicy': ['GroupName', 'group'],
};

export class IamPrincipals {
  private readonly names = new Map<string, string>();
  readonly groupMembers = new Map<string, Principal[]>();

  constructor(private readonly read: CfnRead) {
    this.collectGroupMembers();
  }

  ofResource(resource: CfnResource): Principal | undefined {
    const kind = IAM_KIND_OF_TYPE[resource.type];
    if (!kind || kind === 'policy') return undefined;
    return {
      id: resource.id,
      name: this.nameOf(resource, kind),
      arn: iamArnOf(this.read.resolver, resource, kind),
      kind,
    };
  }

  /** A role/user/group named by Ref/GetAtt to a template resource, or by name (in or outside the template). */
  ofReference(raw: unknown, pointer: string, kind: IamKind): Principal | undefined {
    const { template, resolver } = this.read;
    const id = referencedId(raw);
    const resource = id ? (template.resources.get(id) ?? resolver.ctx.implicit.get(id)) : undefined;
    if (resource && IAM_KIND_OF_TYPE[resource.type] === kind) return this.ofResource(resource);
    const value = resolver.resolve(raw, pointer);
    if (typeof value !== 'string') return undefined;
    const candidates = [...template.resources.values(), ...resolver.ctx.implicit.values()];
    for (const candidate of candidates) {
      if (IAM_KIND_OF_TYPE[candidate.type] !== kind) continue;
      const name = this.nameOf(candidate, kind);
      if (name === value || iamArnOf(resolver, candidate, kind) === value) return this.ofResource(candidate);
    }
    const name = value.startsWith('arn:') ? value.slice(value.lastIndexOf('/') + 1) : value;
    return { name, arn: iamArnOfName(resolver, kind, value), kind };
  }

  /** ARNs that receive a policy attached to this principal (a group's members, else itself). */
  arnsOf(principal: Principal): string[] {
    if (principal.kind !== 'group') return [principal.arn];
    return (this.groupMembers.get(principal.id ?? principal.name) ?? []).map((user) => user.arn);
  }

  private nameOf(resource: CfnResource, kind: IamKind): string {
    const cached = this.names.get(resource.id);
    if (cached !== undefined) return cached;
    const name = iamNameOf(this.read.resolver, resource, kind);
    this.names.set(resource.id, name);
    return name;
  }

  private collectGroupMembers(): void {
    const add = (group: Principal | undefined, user: Principal | undefined) => {
      if (!group || !user) return;
      const key = group.id ?? group.name;
      this.groupMembers.set(key, [...(this.groupMembers.get(key) ?? []), user]);
    };
    for (const resource of this.read.template.resources.values()) {
      if (resource.type === 'AWS::IAM::User' && Array.isArray(resource.properties.Groups)) {
        const user = this.ofResource(resource);
        resource.properties.Groups.forEach((raw, index) => {
          add(this.ofReference(raw, childPointer(propertyPointer(resource, 'Groups'), index), 'group'), user);
        });
      }
      if (resource.type === 'AWS::IAM::UserToGroupAddition' && Array.isArray(resource.properties.Users)) {
        const group = this.ofReference(resource.properties.GroupName, propertyPointer(resource, 'GroupName'), 'group');
        resource.properties.Users.forEach((raw, index) => {
          add(group, this.ofReference(raw, childPointer(propertyPointer(resource, 'Users'), index), 'user'));
        });
      }
    }
  }
}

/** attachedManaged: managed policy id -> principals attaching it elsewhere (e.g. SAM function Policies). */
export function readIamPolicies(
  read: CfnRead,
  principals: IamPrincipals,
  attachedManaged: Map<string, Principal[]>,
): TemplatePolicy[] {
  const policies: TemplatePolicy[] = [];
  const push = (
    resource: CfnResource,
    kind: TemplatePolicyKind,
    raw: unknown,
    pointer: string,
    attached: Principal[],
    name?: string,
  ) => {
    const located = resolveLocated(read.resolver, raw, pointer, read.file, read.positions);
    if (!mentionsKms(located.value)) return;
    policies.push({
      file: read.file,
      logicalId: resource.id,
      kind,
      ...(name !== undefined ? { name } : {}),
      attachedTo: attached.map((p) => p.id ?? p.arn),
      principalArns: [...new Set(attached.flatMap((p) => principals.arnsOf(p)))],
      document: located.value,
      ...(located.location ? { location: located.location } : {}),
      locate: located.locate,
    });
  };
  const relevant = (r: CfnResource) =>
    INLINE_KIND[r.type] !== undefined ||
    SINGLE_POLICY_TARGET[r.type] !== undefined ||
    r.type === 'AWS::IAM::Policy' ||
    r.type === 'AWS::IAM::ManagedPolicy';
  const resources = [...read.template.resources.values()].filter((r) => relevant(r) && isCreated(read, r));
  for (const resource of resources) {
    const inlineKind = INLINE_KIND[resource.type];
    if (!inlineKind) continue;
    const self = principals.ofResource(resource);
    if (!self) continue;
    const inline = resource.properties.Policies;
    if (Array.isArray(inline)) {
      inline.forEach((entry, index) => {
        if (!isRecord(entry) || entry.PolicyDocument === undefined) return;
        const pointer = childPointer(childPointer(propertyPointer(resource, 'Policies'), index), 'PolicyDocument');
        const name = typeof entry.PolicyName === 'string' ? entry.PolicyName : undefined;
        push(resource, inlineKind, entry.PolicyDocument, pointer, [self], name);
      });
    }
    noteManagedPolicyArns(read, resource, self, attachedManaged);
  }
  for (const resource of resources) {
    if (resource.type === 'AWS::IAM::Policy' || resource.type === 'AWS::IAM::ManagedPolicy') {
      const attached = [
        ...attachedPrincipals(principals, resource, 'Roles', 'role'),
        ...attachedPrincipals(principals, resource, 'Users', 'user'),
        ...attachedPrincipals(principals, resource, 'Groups', 'group'),
        ...(attachedManaged.get(resource.id) ?? []),
      ];
      const kind = resource.type === 'AWS::IAM::Policy' ? 'policy' : 'managed-policy';
      const name = resource.properties.PolicyName ?? resource.properties.ManagedPolicyName;
      const pointer = propertyPointer(resource, 'PolicyDocument');
      push(
        resource,
        kind,
        resource.properties.PolicyDocument,
        pointer,
        attached,
        typeof name === 'string' ? name : undefined,
      );
    }
    const single = SINGLE_POLICY_TARGET[resource.type];
    if (single) {
      const [property, kind] = single;
      const target = principals.ofReference(resource.properties[property], propertyPointer(resource, property), kind);
      const name = typeof resource.properties.PolicyName === 'string' ? resource.properties.PolicyName : undefined;
      const pointer = propertyPointer(resource, 'PolicyDocument');
      push(resource, 'policy', resource.properties.PolicyDocument, pointer, target ? [target] : [], name);
    }
  }
  return policies;
}

function attachedPrincipals(principals: IamPrincipals, resource: CfnResource, property: string, kind: IamKind) {
  const list = resource.properties[property];
  if (!Array.isArray(list)) return [];
  return list
    .map((raw, index) => principals.ofReference(raw, childPointer(propertyPointer(resource, property), index), kind))
    .filter((p): p is Principal => p !== undefined);
}

/** ManagedPolicyArns: template managed policies are attached; others are noted (their documents are not read). */
export function noteManagedPolicyArns(
  read: CfnRead,
  resource: CfnResource,
  self: Principal,
  attachedManaged: Map<string, Principal[]>,
  property = 'ManagedPolicyArns',
): void {
  const list = resource.properties[property];
  if (!Array.isArray(list)) return;
  list.forEach((raw, index) => {
    const pointer = childPointer(propertyPointer(resource, property), index);
    const id = referencedId(raw);
    if (id && read.template.resources.get(id)?.type === 'AWS::IAM::ManagedPolicy') {
      attachedManaged.set(id, [...(attachedManaged.get(id) ?? []), self]);
      return;
    }
    const arn = read.resolver.resolve(raw, pointer);
    read.log.note(
      pointer,
      `${resource.id} is attached managed policy ${typeof arn === 'string' ? arn : '(unknown)'}: its document is not in the template and is not read`,
    );
  });
}
