/** ARNs of IAM roles, users, groups and policies declared in Terraform (symbolic where the name is generated). */
import type { Environment } from '../cfn/pseudo';
import { isSymbolicText } from './evaluate';
import type { TfResource } from './model';

export type TfIamKind = 'role' | 'user' | 'group' | 'policy';

export const TF_IAM_KIND: Readonly<Record<string, TfIamKind>> = {
  aws_iam_role: 'role',
  aws_iam_user: 'user',
  aws_iam_group: 'group',
  aws_iam_policy: 'policy',
};

const known = (value: unknown): value is string => typeof value === 'string' && value !== '' && !isSymbolicText(value);

/** The name of the resource, or `{{<address>.name}}` when Terraform generates it or it is unknown. */
export function tfIamName(resource: TfResource): string {
  return known(resource.attrs.name) ? resource.attrs.name : `{{${resource.address}.name}}`;
}

export function tfIamArn(resource: TfResource, env: Environment): string {
  const kind = TF_IAM_KIND[resource.type] ?? 'role';
  if (known(resource.attrs.arn)) return resource.attrs.arn;
  const path = known(resource.attrs.path) && resource.attrs.path.startsWith('/') ? resource.attrs.path : '/';
  return `arn:${env.partition}:iam::${env.account}:${kind}${path}${tfIamName(resource)}`;
}

export function tfIamArnOfName(kind: TfIamKind, name: string, env: Environment): string {
  return name.startsWith('arn:') ? name : `arn:${env.partition}:iam::${env.account}:${kind}/${name}`;
}
