/**
 * Grants as KMS evaluates them: the grantee may call the grant's operations on the key, within the grant's
 * encryption-context constraints; a Deny in the key policy still wins. Modelled as synthetic Allow statements so one
 * evaluator serves policies and grants alike.
 */
import type { Condition, PrincipalSet, Statement } from '../policy/types';
import type { Grant } from './snapshot';

/** Operations that take an encryption context; grant constraints apply only to them (corpus README rule 6). */
const WITH_ENCRYPTION_CONTEXT = new Set([
  'Encrypt',
  'Decrypt',
  'ReEncryptFrom',
  'ReEncryptTo',
  'GenerateDataKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext',
  'CreateGrant',
]);

export const grantPointer = (grant: Grant): string => `grant:${grant.GrantId}`;

const SERVICE = /\.amazonaws\.com(\.cn)?$/;

function granteeSet(grantee: string, pointer: string): PrincipalSet {
  const isService = SERVICE.test(grantee);
  return {
    anyone: false,
    aws: isService ? [] : [grantee],
    service: isService ? [grantee] : [],
    federated: [],
    canonicalUser: [],
    pointer,
  };
}

function constraintConditions(grant: Grant, pointer: string): Condition[] {
  const c = grant.Constraints;
  const pairs = c?.EncryptionContextEquals ?? c?.EncryptionContextSubset;
  if (!pairs) return [];
  const conditions: Condition[] = Object.entries(pairs).map(([k, v]) => ({
    operator: 'StringEquals',
    baseOperator: 'StringEquals',
    ifExists: false,
    key: `kms:EncryptionContext:${k}`,
    values: [v],
    pointer: `${pointer}/Constraints`,
  }));
  if (c?.EncryptionContextEquals) {
    conditions.push({
      operator: 'ForAllValues:StringEquals',
      baseOperator: 'StringEquals',
      qualifier: 'ForAllValues',
      ifExists: false,
      key: 'kms:EncryptionContextKeys',
      values: Object.keys(pairs),
      pointer: `${pointer}/Constraints`,
    });
  }
  return conditions;
}

/** One or two synthetic Allow statements per grant (constrained operations, unconstrained ones). */
export function grantStatements(grants: readonly Grant[]): Statement[] {
  const out: Statement[] = [];
  for (const grant of grants) {
    if (!grant.GranteePrincipal) continue;
    const conditions = constraintConditions(grant, grantPointer(grant));
    if (conditions.length === 0) out.push(grantStatement(grant, grant.Operations, []));
    else {
      const withContext = grant.Operations.filter((o) => WITH_ENCRYPTION_CONTEXT.has(o));
      const without = grant.Operations.filter((o) => !WITH_ENCRYPTION_CONTEXT.has(o));
      if (withContext.length > 0) out.push(grantStatement(grant, withContext, conditions));
      if (without.length > 0) out.push(grantStatement(grant, without, []));
    }
  }
  return out;
}

function grantStatement(grant: Grant, operations: string[], conditions: Condition[]): Statement {
  const pointer = grantPointer(grant);
  return {
    index: -1,
    pointer,
    sid: grant.Name ? `grant ${grant.Name}` : `grant ${grant.GrantId.slice(0, 12)}`,
    effect: 'Allow',
    principal: granteeSet(grant.GranteePrincipal!, pointer),
    action: operations.map((o) => `kms:${o}`),
    resource: ['*'],
    conditions,
  };
}

export const isGrantStatement = (s: Statement): boolean => s.pointer.startsWith('grant:');
