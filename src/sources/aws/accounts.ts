/** Which accounts a scan reads, and with which credentials: the caller's own, or a role assumed in each member. */
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { Gap } from '../../kms/snapshot';
import { forEachLimited } from './concurrency';
import { explainFailure } from './errors';
import { type AwsSession, assumedRoleCredentials, type CallerIdentity, type CredentialsProvider } from './session';
import type { AwsScanOptions } from './types';

export const DEFAULT_ORG_ROLE = 'OrganizationAccountAccessRole';

export interface ScanTarget {
  account: string;
  credentials: CredentialsProvider;
  /** Account name from Organizations, when known. */
  name?: string;
}

interface OrgAccount {
  Id?: string;
  Name?: string;
  Status?: string;
  State?: string;
}

const INACTIVE = new Set(['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED']);
const isInactive = (a: OrgAccount) => INACTIVE.has(a.Status ?? '') || INACTIVE.has(a.State ?? '');

async function listOrganizationAccounts(session: AwsSession): Promise<OrgAccount[]> {
  const org = session.client(OrganizationsClient, session.homeRegion);
  const accounts: OrgAccount[] = [];
  let NextToken: string | undefined;
  do {
    const page = await org.send(new ListAccountsCommand({ ...(NextToken ? { NextToken } : {}) }));
    accounts.push(...(page.Accounts ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return accounts;
}

function applyFilters(ids: string[], options: AwsScanOptions): string[] {
  const only = options.accounts?.length ? new Set(options.accounts) : undefined;
  const excluded = new Set(options.excludeAccounts ?? []);
  return ids.filter((id) => (!only || only.has(id)) && !excluded.has(id));
}

/** The accounts to scan. Accounts that cannot be read at all become gaps; the rest are returned. */
export async function resolveTargets(
  session: AwsSession,
  options: AwsScanOptions,
  caller: CallerIdentity,
  report: (gap: Gap) => Promise<void>,
): Promise<ScanTarget[]> {
  const own: ScanTarget = { account: caller.account, credentials: session.baseCredentials };
  if (!options.org) return applyFilters([caller.account], options).length ? [own] : [];

  let members: OrgAccount[];
  try {
    members = await listOrganizationAccounts(session);
  } catch (err) {
    await report({
      gap: true,
      account: caller.account,
      reason: `${explainFailure(
        err,
        'list the Organization accounts (organizations:ListAccounts)',
        `account ${caller.account}`,
        'account',
        'run from the management account or a delegated administrator with organizations:ListAccounts, or drop --org',
      )} (scanning account ${caller.account} only)`,
    });
    return applyFilters([caller.account], options).length ? [own] : [];
  }

  const active = members.filter((a) => a.Id && !isInactive(a));
  const wanted = new Set(
    applyFilters(
      active.map((a) => a.Id as string),
      options,
    ),
  );
  const known = new Set(members.map((a) => a.Id));
  for (const id of options.accounts ?? []) {
    if (!known.has(id)) {
      await report({
        gap: true,
        account: id,
        reason: `account ${id} was named in --accounts but is not in the Organization of account ${caller.account}; check the account id`,
      });
    }
  }

  const role = options.role ?? DEFAULT_ORG_ROLE;
  const targets: ScanTarget[] = [];
  const selected = active.filter((a) => wanted.has(a.Id as string));
  await forEachLimited(selected, 8, async (member) => {
    const account = member.Id as string;
    const name = member.Name;
    if (account === caller.account) {
      targets.push({ ...own, ...(name ? { name } : {}) });
      return;
    }
    const roleArn = `arn:${caller.partition}:iam::${account}:role/${role}`;
    const credentials = assumedRoleCredentials(session, roleArn, options.externalId);
    try {
      await credentials();
      targets.push({ account, credentials, ...(name ? { name } : {}) });
    } catch (err) {
      await report({
        gap: true,
        account,
        reason: explainFailure(
          err,
          `assume role ${roleArn} (sts:AssumeRole)`,
          `account ${account}`,
          'account',
          `create role ${role} in that account with a trust policy for account ${caller.account}${options.externalId === undefined ? '' : ' and the external id'}, pass the right --role / --external-id, or leave the account out with --exclude-accounts`,
        ),
      });
    }
  });
  return targets.sort((a, b) => a.account.localeCompare(b.account));
}
