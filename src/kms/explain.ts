/**
 * A plain-language account of a key's access: who can use, administer, grant and change the key, and why (which
 * statement or grant), including what the account-root statement really means. Pure: returns lines of text.
 */

import type { AccessMap, ActionClass, PrincipalAccess } from './access-map';
import { classesOf } from './actions';
import type { KeySnapshot } from './snapshot';

const SECTIONS: Array<{ cls: ActionClass; heading: string }> = [
  { cls: 'use', heading: 'Who can use the key (cryptographic operations)' },
  { cls: 'admin', heading: 'Who can administer the key' },
  { cls: 'grant', heading: 'Who can create, retire or revoke grants' },
  { cls: 'policy', heading: 'Who can change the key policy (kms:PutKeyPolicy)' },
];

function whoIs(p: PrincipalAccess, own: string): string {
  if (p.principal === '*')
    return p.public
      ? 'ANYONE (any AWS account, or unsigned callers)'
      : `any caller who meets the conditions on ${p.pins.join(', ') || p.conditionKeys.join(', ')}`;
  if (p.kind === 'account') {
    return p.account === own
      ? `every principal of this account (${own}) whose IAM policy allows it`
      : `every principal of account ${p.account} whose IAM policy allows it (OUTSIDE this account)`;
  }
  if (p.kind === 'service') return `the AWS service ${p.principal}`;
  return `${p.principal}${p.external ? ' (OUTSIDE this account)' : ''}`;
}

function why(p: PrincipalAccess, cls: ActionClass): string {
  return p.via
    .filter((v) => v.classes.includes(cls))
    .map((v) =>
      v.kind === 'grant'
        ? `grant ${v.grantId}${v.constrained ? ' (with encryption-context constraints)' : ''}`
        : `${v.sid ? `statement "${v.sid}"` : 'statement'} ${v.pointer}${v.conditional ? ' (with conditions)' : ''}`,
    )
    .join('; ');
}

export function explainAccess(snapshot: KeySnapshot, access: AccessMap): string[] {
  const lines: string[] = [];
  const own = snapshot.account;
  const aliases =
    snapshot.aliases.ok && snapshot.aliases.value.length > 0 ? ` (${snapshot.aliases.value.join(', ')})` : '';
  lines.push(`Key ${snapshot.arn}${aliases}`);
  lines.push(`Owner account ${own}${snapshot.region !== 'unknown' ? `, region ${snapshot.region}` : ''}`);
  if (access.reach === 'unknown') {
    lines.push(
      '',
      `Reach: UNKNOWN: the key policy could not be read (${access.unknownReason}).`,
      'Nothing can be said about who can use this key until keywarden can read its policy (kms:GetKeyPolicy).',
    );
    return lines;
  }
  const reachText = {
    public: 'PUBLIC: callers of any AWS account (or unsigned callers) can get access.',
    'cross-account': `CROSS-ACCOUNT: principals outside ${own} get access${access.externalAccounts.length ? ` (named accounts: ${access.externalAccounts.join(', ')})` : ' (through organization, network or IP conditions)'}.`,
    internal: `INTERNAL: only principals of ${own} (and AWS services acting for it) get access.`,
  }[access.reach];
  lines.push('', `Reach: ${reachText}`);
  for (const { cls, heading } of SECTIONS) {
    const who = access.principals.filter((p) => p.classes.includes(cls));
    lines.push('', `${heading}:`);
    if (who.length === 0) lines.push('  nobody');
    for (const p of who) {
      const actions = p.actions.filter((a) => classesOf(a).includes(cls));
      const short =
        actions.length > 6 ? `${actions.slice(0, 6).join(', ')} +${actions.length - 6} more` : actions.join(', ');
      lines.push(`  - ${whoIs(p, own)}`, `      ${short}`, `      because: ${why(p, cls)}`);
    }
  }
  const root = access.principals.find((p) => p.kind === 'account' && p.account === own);
  if (root) {
    const sids = root.via
      .filter((v) => v.kind === 'statement')
      .map((v) => (v.kind === 'statement' && v.sid ? `"${v.sid}"` : v.kind === 'statement' ? v.pointer : ''));
    lines.push(
      '',
      'What the account-root statement grants:',
      `  Statement ${sids.join(', ')} names arn:aws:iam::${own}:root. That is not the root user alone: it lets IAM decide.`,
      `  Any user or role of account ${own} whose own IAM policies allow an action on this key can perform it;`,
      '  a principal with no such IAM permission gets nothing from this statement. Access is bilateral: key policy AND IAM policy.',
      '  This is the documented default key policy (it keeps the key manageable), not a finding.',
      '  Which users and roles that is depends on their IAM policies, which the key policy alone cannot show.',
    );
  } else {
    lines.push(
      '',
      `The key policy does not delegate to account ${own}'s IAM: only the principals listed above have access, whatever their IAM policies say.`,
    );
  }
  const sod = access.separationOfDuties;
  lines.push(
    '',
    sod.ok
      ? 'Separation of duties: no principal (other than the account) both uses and administers the key.'
      : `Separation of duties: VIOLATED by ${sod.violators.map((v) => v.principal).join(', ')} (can both use and administer).`,
  );
  return lines;
}
