import { parseArn } from '../match/arn';
import { isAccountIdPlaceholder } from '../placeholders';

/**
 * The caller of a request, classified from its principal string: an IAM user or role ARN (with paths), an
 * assumed-role session ARN, an account (root ARN or bare 12-digit id), a service principal name, a federated
 * identity provider, or `"*"` for an anonymous caller. Partitions aws, aws-cn and aws-us-gov (and any other).
 */

export type CallerKind = 'anonymous' | 'account' | 'user' | 'role' | 'session' | 'service' | 'federated' | 'other';

export interface Caller {
  kind: CallerKind;
  /** The caller's ARN (account callers: `arn:PARTITION:iam::ID:root`). */
  arn?: string;
  account?: string;
  partition?: string;
  /** For sessions: the role's ARN, `arn:PARTITION:iam::ACCOUNT:role/ROLE` (session ARNs carry no role path). */
  roleArn?: string;
  /** User or role name (last path segment), session name for sessions, the service or provider name. */
  name?: string;
  /** For roles and sessions: the role name. */
  roleName?: string;
}

const ACCOUNT_ID = /^\d{12}$/;

/** Identity providers that appear as `Federated` principals without an ARN. */
const WEB_IDENTITY_PROVIDERS = new Set([
  'cognito-identity.amazonaws.com',
  'cognito-identity.amazonaws.com.cn',
  'accounts.google.com',
  'graph.facebook.com',
  'www.amazon.com',
  'appleid.apple.com',
]);

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** True for service principal names: `x.amazonaws.com`, `x.amazonaws.com.cn` (and the legacy `x.amazon.com`). */
export function isServicePrincipalName(value: string): boolean {
  const lower = value.toLowerCase();
  return (
    !lower.startsWith('arn:') &&
    !lower.includes('/') &&
    (lower.endsWith('.amazonaws.com') || lower.endsWith('.amazonaws.com.cn') || lower.endsWith('.amazon.com'))
  );
}

/** Bare account id (or the stack's account placeholder) -> `arn:aws:iam::ID:root`; anything else as written. */
export function normalisePrincipal(entry: string): string {
  if (ACCOUNT_ID.test(entry) || isAccountIdPlaceholder(entry)) return `arn:aws:iam::${entry}:root`;
  return entry;
}

const callerCache = new Map<string, Caller>();

/** Classify a request's principal string. Never throws; unrecognised strings are kind `other`. */
export function parseCaller(principal: string): Caller {
  const cached = callerCache.get(principal);
  if (cached !== undefined) return cached;
  const caller = Object.freeze(classify(principal));
  if (callerCache.size >= 5000) callerCache.clear();
  callerCache.set(principal, caller);
  return caller;
}

function classify(principal: string): Caller {
  if (principal === '*') return { kind: 'anonymous' };
  if (ACCOUNT_ID.test(principal) || isAccountIdPlaceholder(principal)) {
    return { kind: 'account', arn: `arn:aws:iam::${principal}:root`, account: principal, partition: 'aws' };
  }
  if (WEB_IDENTITY_PROVIDERS.has(principal.toLowerCase())) return { kind: 'federated', name: principal };
  if (isServicePrincipalName(principal)) return { kind: 'service', name: principal };
  const arn = parseArn(principal);
  if (arn === undefined) return { kind: 'other', name: principal };
  const { partition, service, account, resource } = arn;
  if (service === 'iam') {
    if (resource === 'root') return { kind: 'account', arn: principal, account, partition };
    const slash = resource.indexOf('/');
    const type = slash === -1 ? resource : resource.slice(0, slash);
    const name = resource.slice(resource.lastIndexOf('/') + 1);
    if (slash !== -1 && name !== '') {
      if (type === 'user') return { kind: 'user', arn: principal, account, partition, name };
      if (type === 'role') return { kind: 'role', arn: principal, account, partition, name, roleName: name };
      if (type === 'saml-provider' || type === 'oidc-provider') {
        return { kind: 'federated', arn: principal, account, partition, name };
      }
    }
  }
  if (service === 'sts' && resource.startsWith('assumed-role/')) {
    const parts = resource.split('/');
    if (parts.length >= 3 && parts[1] !== '' && parts[2] !== '') {
      const roleName = parts[1]!;
      return {
        kind: 'session',
        arn: principal,
        account,
        partition,
        roleArn: `arn:${partition}:iam::${account}:role/${roleName}`,
        roleName,
        name: parts.slice(2).join('/'),
      };
    }
  }
  return { kind: 'other', arn: principal, account: account === '' ? undefined : account, partition };
}
