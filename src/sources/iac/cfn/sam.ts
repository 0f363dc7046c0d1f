/**
 * AWS::Serverless::Function `Policies`: inline statements, managed policy names/ARNs and SAM policy templates
 * (KMSEncryptPolicy, KMSDecryptPolicy, KMSEncryptPolicy_v2 expanded; others noted), granted to the function's
 * implicit role `<FunctionId>Role` that SAM creates when the function sets no Role.
 */
import { mentionsKms } from '../kms-relevance';
import { childPointer } from '../pointer';
import type { TemplatePolicy } from '../types';
import type { IamPrincipals, Principal } from './iam';
import { resolveLocated } from './located';
import { type CfnRead, isCreated, propertyPointer, referencedId } from './read-context';
import { intrinsicName } from './resolver';
import { expandSamTemplate, SAM_KMS_POLICY_TEMPLATES } from './sam-policy-templates';
import { type CfnResource, type CfnTemplate, isRecord } from './template';

const FUNCTION_TYPES = new Set(['AWS::Serverless::Function']);
const ROLE_CREATING_TYPES = new Set(['AWS::Serverless::Function', 'AWS::Serverless::StateMachine']);

/** The roles SAM generates for functions and state machines that set no Role, by logical id. */
export function implicitSamRoles(template: CfnTemplate): Map<string, CfnResource> {
  const roles = new Map<string, CfnResource>();
  if (!template.isSam) return roles;
  for (const resource of template.resources.values()) {
    if (!ROLE_CREATING_TYPES.has(resource.type) || resource.properties.Role !== undefined) continue;
    const id = `${resource.id}Role`;
    if (template.resources.has(id)) continue;
    roles.set(id, { id, type: 'AWS::IAM::Role', properties: {}, metadata: undefined, pointer: resource.pointer });
  }
  return roles;
}

export function readSamFunctionPolicies(
  read: CfnRead,
  principals: IamPrincipals,
  attachedManaged: Map<string, Principal[]>,
): TemplatePolicy[] {
  const policies: TemplatePolicy[] = [];
  for (const fn of read.template.resources.values()) {
    if (!FUNCTION_TYPES.has(fn.type) || fn.properties.Policies === undefined || !isCreated(read, fn)) continue;
    const listPointer = propertyPointer(fn, 'Policies');
    if (fn.properties.Role !== undefined) {
      read.log.note(listPointer, `${fn.id} sets Role, so SAM ignores its Policies`);
      continue;
    }
    const role = read.resolver.ctx.implicit.get(`${fn.id}Role`);
    const self = role ? principals.ofResource(role) : undefined;
    if (!self) continue;
    const raw = fn.properties.Policies;
    const entries: Array<[unknown, string]> = Array.isArray(raw)
      ? raw.map((entry, index) => [entry, childPointer(listPointer, index)])
      : [[raw, listPointer]];
    const push = (document: unknown, pointer: string, name?: string) => {
      const located = resolveLocated(read.resolver, document, pointer, read.file, read.positions);
      if (!mentionsKms(located.value)) return;
      policies.push({
        file: read.file,
        logicalId: fn.id,
        kind: 'function',
        ...(name !== undefined ? { name } : {}),
        attachedTo: [fn.id, self.id ?? self.arn],
        principalArns: [self.arn],
        document: located.value,
        ...(located.location ? { location: located.location } : {}),
        locate: located.locate,
      });
    };
    for (const [entry, pointer] of entries) {
      if (isRecord(entry) && entry.Statement !== undefined && !intrinsicName(entry)) {
        push(entry, pointer);
        continue;
      }
      if (typeof entry === 'string' || (isRecord(entry) && intrinsicName(entry))) {
        const id = referencedId(entry);
        if (id && read.template.resources.get(id)?.type === 'AWS::IAM::ManagedPolicy') {
          attachedManaged.set(id, [...(attachedManaged.get(id) ?? []), self]);
          continue;
        }
        const value = read.resolver.resolve(entry, pointer);
        const arn =
          typeof value === 'string' && !value.startsWith('arn:') ? `AWS managed policy ${value}` : String(value);
        read.log.note(pointer, `${fn.id} is attached ${arn}: its document is not in the template and is not read`);
        continue;
      }
      if (!isRecord(entry) || Object.keys(entry).length !== 1) {
        read.log.error(
          pointer,
          'a SAM Policies entry is a policy name or ARN, a policy document, or {TemplateName: {...}}',
        );
        continue;
      }
      const [name, parameters] = Object.entries(entry)[0] as [string, unknown];
      const template = SAM_KMS_POLICY_TEMPLATES[name];
      if (!template) {
        read.log.note(
          pointer,
          `SAM policy template ${name} is not expanded by keywarden (only ${Object.keys(SAM_KMS_POLICY_TEMPLATES).join(', ')} are)`,
        );
        continue;
      }
      const values = isRecord(parameters) ? parameters : {};
      const missing = template.parameters.filter((p) => values[p] === undefined);
      if (missing.length > 0) {
        read.log.error(childPointer(pointer, name), `SAM policy template ${name} needs ${missing.join(', ')}`);
        continue;
      }
      push(expandSamTemplate(template, values), childPointer(pointer, name), name);
    }
  }
  return policies;
}
