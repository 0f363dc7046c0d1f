import type { OutsidersResult } from '../outsiders';
import { counts, table } from './table';

export const renderOutsiders = (result: OutsidersResult): string => {
  const parts = [`Outside accounts using your keys: ${result.accounts.length}`];
  const rows = result.accounts.flatMap((account) =>
    account.principals.map((principal) => [
      account.account,
      principal.principal,
      principal.calls,
      principal.failedCalls,
      principal.keys.join('\n'),
      counts(principal.operations),
      counts(principal.sourceIPs, 3),
      principal.first,
      principal.last,
    ]),
  );
  if (rows.length > 0) {
    parts.push(
      table(['account', 'principal', 'calls', 'failed', 'keys', 'operations', 'source IPs', 'first', 'last'], rows),
    );
  }
  return parts.join('\n');
};
