/**
 * What every AWS read starts with: the session, who we are (sts:GetCallerIdentity), the accounts to read and,
 * per account, the regions. Anything that cannot be read becomes a Gap; `undefined` means nothing can be read.
 */
import type { Gap } from '../../kms/snapshot';
import { resolveTargets, type ScanTarget } from './accounts';
import { forEachLimited } from './concurrency';
import { explainFailure } from './errors';
import { checkRegionNames, regionsOf } from './regions';
import { type AwsSession, type CallerIdentity, callerIdentity, openSession } from './session';
import type { AwsScanOptions } from './types';

export interface AccountRegion {
  target: ScanTarget;
  region: string;
}

export interface ScanScope {
  session: AwsSession;
  caller: CallerIdentity;
  targets: ScanTarget[];
  /** Every account-region to read, sorted; only built when asked (the IAM side needs no regions). */
  accountRegions(): Promise<AccountRegion[]>;
}

export const describeIdentity = (options: AwsScanOptions): string =>
  options.profile !== undefined ? `profile "${options.profile}"` : 'the default credential chain';

/** Opens the scope; the caller must `session.destroy()` when done (also when undefined is returned, nothing is left open). */
export async function openScope(
  options: AwsScanOptions,
  report: (gap: Gap) => Promise<void>,
  needsRegions: boolean,
): Promise<ScanScope | undefined> {
  const session = await openSession(options);
  const fail = async (reason: string) => {
    session.destroy();
    await report({ gap: true, reason });
    return undefined;
  };
  if (needsRegions && options.regions === undefined && session.configuredRegion === undefined) {
    return fail(
      `no region to scan for ${describeIdentity(options)}: pass --region (a name, a list, or all), or set AWS_REGION or the profile's region`,
    );
  }
  let explicit: string[] | undefined;
  if (needsRegions && Array.isArray(options.regions)) {
    const checked = checkRegionNames(options.regions);
    for (const gap of checked.gaps) await report(gap);
    explicit = checked.regions;
    if (explicit.length === 0) {
      session.destroy();
      return undefined;
    }
  }
  let caller: CallerIdentity;
  try {
    caller = await callerIdentity(session);
  } catch (err) {
    return fail(
      explainFailure(err, 'verify the credentials (sts:GetCallerIdentity)', describeIdentity(options), 'run'),
    );
  }
  let targets: ScanTarget[];
  try {
    targets = await resolveTargets(session, options, caller, report);
  } catch (err) {
    session.destroy(); // not expected (failures are gaps), but never leave sockets open
    throw err;
  }
  const accountRegions = async () => {
    const units: AccountRegion[] = [];
    await forEachLimited(targets, 8, async (target) => {
      for (const region of await regionsOf(session, target, options, explicit, report)) units.push({ target, region });
    });
    return units.sort((a, b) => a.target.account.localeCompare(b.target.account) || a.region.localeCompare(b.region));
  };
  return { session, caller, targets, accountRegions };
}
