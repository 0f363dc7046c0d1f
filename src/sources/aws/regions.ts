/** Which regions to scan in one account: the user's list as given, or every enabled region (account:ListRegions). */
import { AccountClient, ListRegionsCommand, type RegionOptStatus } from '@aws-sdk/client-account';
import type { Gap } from '../../kms/snapshot';
import type { ScanTarget } from './accounts';
import { explainFailure } from './errors';
import type { AwsSession } from './session';
import type { AwsScanOptions } from './types';

/** Region names as AWS spells them: `eu-west-1`, `us-gov-west-1`, `cn-north-1` (not an AZ like `eu-west-1a`). */
const REGION_NAME = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

export const isRegionName = (name: string): boolean => REGION_NAME.test(name);

const ENABLED: RegionOptStatus[] = ['ENABLED', 'ENABLED_BY_DEFAULT'];

async function enabledRegions(session: AwsSession, target: ScanTarget): Promise<string[]> {
  const account = session.client(AccountClient, session.homeRegion, target.credentials);
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await account.send(
      new ListRegionsCommand({ RegionOptStatusContains: ENABLED, MaxResults: 50, ...(NextToken ? { NextToken } : {}) }),
    );
    for (const region of page.Regions ?? []) {
      if (region.RegionName && region.RegionOptStatus && ENABLED.includes(region.RegionOptStatus))
        names.push(region.RegionName);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return names.sort();
}

/** Checks the user's region names once for the whole run: unknown names become gaps, the rest are kept. */
export function checkRegionNames(names: string[]): { regions: string[]; gaps: Gap[] } {
  const regions: string[] = [];
  const gaps: Gap[] = [];
  for (const raw of names) {
    const name = raw.trim();
    if (regions.includes(name)) continue;
    if (isRegionName(name)) regions.push(name);
    else {
      gaps.push({
        gap: true,
        region: name,
        reason: `"${name}" is not a region name: use names like eu-west-1 or us-east-1 (not an availability zone such as eu-west-1a), or --region all`,
      });
    }
  }
  return { regions, gaps };
}

/** The regions of one account. A failed discovery is a gap; the scan then reads the configured region only. */
export async function regionsOf(
  session: AwsSession,
  target: ScanTarget,
  options: AwsScanOptions,
  explicit: string[] | undefined,
  report: (gap: Gap) => Promise<void>,
): Promise<string[]> {
  if (explicit) return explicit;
  if (options.regions === 'all') {
    try {
      return await enabledRegions(session, target);
    } catch (err) {
      const fallback = session.configuredRegion;
      await report({
        gap: true,
        account: target.account,
        reason: `${explainFailure(
          err,
          'list the enabled regions (account:ListRegions)',
          `account ${target.account}`,
          'account',
          'grant account:ListRegions (docs/permissions.md) or pass the regions with --region',
        )}${fallback ? ` (scanning the configured region ${fallback} only)` : ''}`,
      });
      return fallback ? [fallback] : [];
    }
  }
  if (session.configuredRegion) return [session.configuredRegion];
  await report({
    gap: true,
    account: target.account,
    reason: `no region to scan in account ${target.account}: pass --region (a name, a list, or all), or set AWS_REGION or the profile's region`,
  });
  return [];
}
