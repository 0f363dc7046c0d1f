/**
 * Terraform IAM policies that concern KMS, with what they are attached to: aws_iam_policy (+ role/user/group
 * attachments and managed_policy_arns), aws_iam_role_policy, inline_policy blocks, aws_iam_user/group_policy, and
 * aws_iam_policy_document data sources (attached to whatever uses their json, keys included).
 */
import type { Environment } from '../cfn/pseudo';
import { mentionsKms } from '../kms-relevance';
import type { TemplatePolicy, TemplatePolicyKind } from '../types';
import { isSymbolicText } from './evaluate';
import { type TfIamKind, tfIamArn, tfIamArnOfName, tfIamName } from './iam-names';
import type { TfResource } from './model';

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

interface Principal {
  ref: string;
  arn: string;
}

export function identityPolicies(
  file: string,
  resources: TfResource[],
  find: (address: string) => TfResource | undefined,
  env: Environment,
): TemplatePolicy[] {
  const principalOf = (resource: TfResource, path: string, kind: TfIamKind): Principal | undefined => {
    for (const ref of resource.refs(path)) {
      const target = find(ref);
      if (target && target.type === `aws_iam_${kind}`) return { ref: target.address, arn: tfIamArn(target, env) };
    }
    const name = text(resource.attrs[path]);
    if (!name) return undefined;
    const named = resources.find((r) => r.type === `aws_iam_${kind}` && tfIamName(r) === name);
    if (named) return { ref: named.address, arn: tfIamArn(named, env) };
    const arn = isSymbolicText(name)
      ? `arn:${env.partition}:iam::${env.account}:${kind}/${name}`
      : tfIamArnOfName(kind, name, env);
    return { ref: arn, arn };
  };
  const policies: TemplatePolicy[] = [];
  const documentUsers = new Map<string, { attachedTo: string[]; principalArns: string[] }>();
  const recordDocumentUse = (resource: TfResource, path: string, attached: Principal[]) => {
    for (const ref of resource.refs(path)) {
      if (!ref.includes('data.aws_iam_policy_document.')) continue;
      const users = documentUsers.get(ref) ?? { attachedTo: [], principalArns: [] };
      users.attachedTo.push(resource.address);
      users.principalArns.push(...attached.map((p) => p.arn));
      documentUsers.set(ref, users);
    }
  };
  const push = (resource: TfResource, path: string, kind: TemplatePolicyKind, attached: Principal[], name?: string) => {
    recordDocumentUse(resource, path, attached);
    const policy = resource.policy(path);
    if (!policy || !mentionsKms(policy.document)) return;
    policies.push({
      file,
      logicalId: resource.address,
      kind,
      ...(name ? { name } : {}),
      attachedTo: attached.map((p) => p.ref),
      principalArns: [...new Set(attached.map((p) => p.arn))],
      document: policy.document,
      ...(policy.location ? { location: policy.location } : {}),
      locate: policy.locate,
    });
  };
  // Which principals each aws_iam_policy is attached to.
  const attachments = new Map<string, Principal[]>();
  const attach = (policyRef: string | undefined, principal: Principal | undefined) => {
    if (!policyRef || !principal) return;
    attachments.set(policyRef, [...(attachments.get(policyRef) ?? []), principal]);
  };
  for (const resource of resources) {
    const policyRef = resource.refs('policy_arn').find((ref) => ref.includes('aws_iam_policy.'));
    if (resource.type === 'aws_iam_role_policy_attachment') attach(policyRef, principalOf(resource, 'role', 'role'));
    if (resource.type === 'aws_iam_user_policy_attachment') attach(policyRef, principalOf(resource, 'user', 'user'));
    if (resource.type === 'aws_iam_group_policy_attachment') attach(policyRef, principalOf(resource, 'group', 'group'));
    if (resource.type === 'aws_iam_role') {
      const self = { ref: resource.address, arn: tfIamArn(resource, env) };
      for (const ref of resource.refs('managed_policy_arns')) attach(ref, self);
    }
  }
  for (const resource of resources) {
    if (resource.mode === 'module') recordDocumentUse(resource, 'policy', []);
    if (resource.mode !== 'managed') continue;
    switch (resource.type) {
      case 'aws_iam_policy':
        push(resource, 'policy', 'tf-policy', attachments.get(resource.address) ?? [], text(resource.attrs.name));
        break;
      case 'aws_iam_role_policy':
        push(
          resource,
          'policy',
          'tf-role-policy',
          compact([principalOf(resource, 'role', 'role')]),
          text(resource.attrs.name),
        );
        break;
      case 'aws_iam_user_policy':
        push(resource, 'policy', 'user', compact([principalOf(resource, 'user', 'user')]), text(resource.attrs.name));
        break;
      case 'aws_iam_group_policy':
        push(
          resource,
          'policy',
          'group',
          compact([principalOf(resource, 'group', 'group')]),
          text(resource.attrs.name),
        );
        break;
      case 'aws_iam_role': {
        const inline = Array.isArray(resource.attrs.inline_policy) ? resource.attrs.inline_policy : [];
        const self = { ref: resource.address, arn: tfIamArn(resource, env) };
        inline.forEach((block, index) => {
          const name = text((block as Record<string, unknown> | null)?.name);
          push(resource, `inline_policy/${index}/policy`, 'tf-role-policy', [self], name);
        });
        break;
      }
      case 'aws_kms_key':
      case 'aws_kms_replica_key':
      case 'aws_kms_key_policy':
        recordDocumentUse(resource, 'policy', []);
        break;
    }
  }
  for (const resource of resources) {
    if (resource.mode !== 'data' || resource.type !== 'aws_iam_policy_document') continue;
    const policy = resource.policy('json');
    if (!policy || !mentionsKms(policy.document)) continue;
    const users = documentUsers.get(resource.address) ?? { attachedTo: [], principalArns: [] };
    policies.push({
      file,
      logicalId: resource.address,
      kind: 'tf-policy-document',
      attachedTo: [...new Set(users.attachedTo)],
      principalArns: [...new Set(users.principalArns)],
      document: policy.document,
      ...(policy.location ? { location: policy.location } : {}),
      locate: policy.locate,
    });
  }
  return policies;
}

function compact<T>(items: Array<T | undefined>): T[] {
  return items.filter((item): item is T => item !== undefined);
}
