/** ARNs and names of the IAM resources a template defines (roles, users, groups, managed policies). */
import { childPointer } from '../pointer';
import type { ValueResolver } from './context';
import type { CfnResource } from './template';

export type IamKind = 'role' | 'user' | 'group' | 'policy';

const NAME_PROPERTY: Record<IamKind, string> = {
  role: 'RoleName',
  user: 'UserName',
  group: 'GroupName',
  policy: 'ManagedPolicyName',
};

export const IAM_KIND_OF_TYPE: Readonly<Record<string, IamKind>> = {
  'AWS::IAM::Role': 'role',
  'AWS::IAM::User': 'user',
  'AWS::IAM::Group': 'group',
  'AWS::IAM::ManagedPolicy': 'policy',
};

const naming = new WeakMap<ValueResolver, Set<string>>();

/** The resource's name property resolved, or `{{LogicalId}}` when CloudFormation generates the name. */
export function iamNameOf(resolver: ValueResolver, resource: CfnResource, kind: IamKind): string {
  const inProgress = naming.get(resolver) ?? new Set<string>();
  naming.set(resolver, inProgress);
  const property = NAME_PROPERTY[kind];
  if (inProgress.has(resource.id)) {
    resolver.ctx.log.error(
      childPointer(childPointer(resource.pointer, 'Properties'), property),
      `circular reference: the ${property} of ${resource.id} depends on itself`,
    );
    return `{{${resource.id}}}`;
  }
  const raw = resource.properties[property];
  if (raw === undefined) return `{{${resource.id}}}`;
  inProgress.add(resource.id);
  try {
    const value = resolver.resolve(raw, childPointer(childPointer(resource.pointer, 'Properties'), property));
    return typeof value === 'string' ? value : `{{${resource.id}}}`;
  } finally {
    inProgress.delete(resource.id);
  }
}

function pathOf(resolver: ValueResolver, resource: CfnResource): string {
  const raw = resource.properties.Path;
  if (raw === undefined) return '/';
  const value = resolver.resolve(raw, childPointer(childPointer(resource.pointer, 'Properties'), 'Path'));
  return typeof value === 'string' && value.startsWith('/') && value.endsWith('/') ? value : '/';
}

/** `arn:<partition>:iam::<account>:role/<path><name>` (and user, group, policy). */
export function iamArnOf(resolver: ValueResolver, resource: CfnResource, kind: IamKind): string {
  const { partition, account } = resolver.ctx.env;
  return `arn:${partition}:iam::${account}:${kind}${pathOf(resolver, resource)}${iamNameOf(resolver, resource, kind)}`;
}

/** ARN of a principal named (not ARN'd) outside the template, path assumed `/`. */
export function iamArnOfName(resolver: ValueResolver, kind: IamKind, name: string): string {
  if (name.startsWith('arn:')) return name;
  const { partition, account } = resolver.ctx.env;
  return `arn:${partition}:iam::${account}:${kind}/${name}`;
}
