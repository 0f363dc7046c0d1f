/**
 * Outsider use: cryptographic calls on a key by a principal of another account (`userIdentity.accountId` differs
 * from the account in the key's ARN), grouped by account and principal. A cross-account call is recorded in both
 * accounts' trails with one sharedEventID: it is counted once.
 */
import type { CloudTrailEvent } from './event';
import {
  actingPrincipal,
  callerAccount,
  isFailed,
  isKmsEvent,
  KMS_CRYPTO_OPERATIONS,
  keyAccountOf,
  keyArnsOf,
} from './fields';
import { type Count, Counter, type Flag, type Investigation } from './investigation';

export interface OutsiderOptions {
  /** Accounts whose use of your keys is expected (partners, your organisation): not reported. */
  trustedAccounts?: string[];
}

export interface OutsiderPrincipal {
  principal: string;
  calls: number;
  failedCalls: number;
  keys: string[];
  operations: Count[];
  sourceIPs: Count[];
  first: string;
  last: string;
}

export interface OutsiderAccount {
  account: string;
  calls: number;
  failedCalls: number;
  keys: string[];
  principals: OutsiderPrincipal[];
}

export interface OutsidersResult {
  accounts: OutsiderAccount[];
  flags: Flag[];
}

/**
 * The keys an outsider used in this event: keys whose account differs from the caller's. Only "your" keys count:
 * when the record says whose trail it is in (recipientAccountId), the key must belong to that account, so your own
 * principals' use of someone else's key (recorded in your trail too) is not reported as an outsider.
 */
export const outsiderKeys = (event: CloudTrailEvent, trusted: ReadonlySet<string> = new Set()): string[] => {
  if (!isKmsEvent(event) || !KMS_CRYPTO_OPERATIONS.has(event.eventName)) return [];
  const account = callerAccount(event);
  if (!account || trusted.has(account)) return [];
  const recipient = event.recipientAccountId ?? undefined;
  return keyArnsOf(event).filter((arn) => {
    const owner = keyAccountOf(arn);
    return owner !== undefined && owner !== account && (recipient === undefined || owner === recipient);
  });
};

interface Accumulator {
  calls: number;
  failedCalls: number;
  keys: Set<string>;
  operations: Counter;
  sourceIPs: Counter;
  first: string;
  last: string;
}

export const outsidersInvestigation = (options: OutsiderOptions = {}): Investigation<OutsidersResult> => {
  const trusted = new Set(options.trustedAccounts ?? []);
  const seen = new Set<string>();
  const byAccount = new Map<string, Map<string, Accumulator>>();
  return {
    add(event) {
      const keys = outsiderKeys(event, trusted);
      if (keys.length === 0) return;
      const id = event.sharedEventID ?? event.eventID;
      if (id) {
        if (seen.has(id)) return;
        seen.add(id);
      }
      const account = callerAccount(event) ?? 'unknown';
      const principal = actingPrincipal(event);
      const principals = byAccount.get(account) ?? new Map<string, Accumulator>();
      byAccount.set(account, principals);
      let acc = principals.get(principal);
      if (!acc) {
        acc = {
          calls: 0,
          failedCalls: 0,
          keys: new Set(),
          operations: new Counter(),
          sourceIPs: new Counter(),
          first: event.eventTime,
          last: event.eventTime,
        };
        principals.set(principal, acc);
      }
      if (isFailed(event)) acc.failedCalls++;
      else acc.calls++;
      for (const key of keys) acc.keys.add(key);
      acc.operations.add(event.eventName);
      acc.sourceIPs.add(event.sourceIPAddress);
      if (event.eventTime < acc.first) acc.first = event.eventTime;
      if (event.eventTime > acc.last) acc.last = event.eventTime;
    },
    finish() {
      const accounts: OutsiderAccount[] = [...byAccount.entries()]
        .map(([account, principals]) => {
          const list: OutsiderPrincipal[] = [...principals.entries()]
            .map(([principal, acc]) => ({
              principal,
              calls: acc.calls,
              failedCalls: acc.failedCalls,
              keys: [...acc.keys].sort(),
              operations: acc.operations.top(),
              sourceIPs: acc.sourceIPs.top(),
              first: acc.first,
              last: acc.last,
            }))
            .sort((a, b) => b.calls - a.calls || (a.principal < b.principal ? -1 : 1));
          return {
            account,
            calls: list.reduce((sum, p) => sum + p.calls, 0),
            failedCalls: list.reduce((sum, p) => sum + p.failedCalls, 0),
            keys: [...new Set(list.flatMap((p) => p.keys))].sort(),
            principals: list,
          };
        })
        .sort((a, b) => b.calls - a.calls || (a.account < b.account ? -1 : 1));
      const flags: Flag[] = accounts.flatMap((account) =>
        account.principals
          .filter((principal) => principal.calls > 0)
          .map((principal) => ({
            severity: 'high' as const,
            title: `${principal.principal} (account ${account.account}) used ${principal.keys.length} of your keys ${principal.calls} time(s): ${principal.operations.map((op) => op.value).join(', ')}`,
            time: principal.first,
            principal: principal.principal,
            key: principal.keys[0],
          })),
      );
      return { accounts, flags };
    },
  };
};
