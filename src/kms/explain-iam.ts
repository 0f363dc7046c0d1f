/**
 * The IAM side of a key in plain language (`keywarden explain --aws`), in the style of src/kms/explain.ts: per
 * class, the real users and roles that have access and why (which key policy statement, which IAM policy by name),
 * what a boundary, SCP or RCP took away, what is unknown and why, and how RCPs change the key's reach. Pure.
 */
import type {
  BilateralAccess,
  ClassAccess,
  IamAccessClass,
  Limit,
  PolicyRef,
  PrincipalIamAccess,
  RcpReach,
} from './bilateral-types';

const SECTIONS: Array<{ cls: IamAccessClass; heading: string }> = [
  { cls: 'use', heading: 'Who can use the key (cryptographic operations)' },
  { cls: 'admin', heading: 'Who can administer the key' },
  { cls: 'grant', heading: 'Who can create, retire or revoke grants' },
  { cls: 'policy', heading: 'Who can change the key policy (kms:PutKeyPolicy)' },
];

const REACH_WORD = { public: 'PUBLIC', 'cross-account': 'CROSS-ACCOUNT', internal: 'INTERNAL', unknown: 'UNKNOWN' };

function shortList(actions: readonly string[]): string {
  return actions.length > 6 ? `${actions.slice(0, 6).join(', ')} +${actions.length - 6} more` : actions.join(', ');
}

const statementOf = (r: PolicyRef): string =>
  r.sid ? `statement "${r.sid}"` : r.pointer ? `statement ${r.pointer}` : '';

/** A policy in words: `IAM policy UseAppKey (via group Admins)`, `SCP DenyKeyDisable (statement "X", attached to ou-1)`. */
export function refText(r: PolicyRef, withStatement = false): string {
  const where = [
    withStatement ? statementOf(r) : '',
    r.target ? `attached to ${r.target}` : '',
    r.viaGroup ? `via group ${r.viaGroup}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const suffix = where ? ` (${where})` : '';
  switch (r.layer) {
    case 'key-policy':
      return `key policy ${statementOf(r) || 'statement'}`;
    case 'grant':
      return `grant ${r.name}`;
    case 'identity':
      return `IAM policy ${r.name}${suffix}`;
    case 'permissions-boundary':
      return `permissions boundary ${r.name}${suffix}`;
    case 'scp':
      return `SCP ${r.name}${suffix}`;
    case 'rcp':
      return `RCP ${r.name}${suffix}`;
    case 'cross-account-limit':
      return "KMS's cross-account limit";
  }
}

function because(p: PrincipalIamAccess, a: ClassAccess): string {
  const key = a.because.filter((r) => r.layer === 'key-policy' || r.layer === 'grant');
  const iam = a.because.filter((r) => r.layer === 'identity');
  const keyText = key.map((r) => refText(r)).join(' or ');
  if (iam.length === 0) return `${keyText} names it directly (no IAM policy needed)`;
  const through = p.external ? `${keyText} (its account)` : `${keyText} (the account principal)`;
  return `${through} AND ${iam.map((r) => refText(r)).join(' or ')}`;
}

function limitText(l: Limit): string {
  const who = l.by.map((r) => refText(r, l.explicit)).join(', ');
  if (l.explicit) return `${shortList(l.actions)} denied by ${who}`;
  const layer = { 'permissions-boundary': 'its permissions boundary', scp: 'the SCPs', rcp: 'the RCPs' }[
    l.layer as 'permissions-boundary' | 'scp' | 'rcp'
  ];
  return `${shortList(l.actions)} not allowed by ${layer ?? l.layer}${who ? ` (${who})` : ''}`;
}

const whoIs = (p: PrincipalIamAccess): string =>
  `${p.kind} ${p.external ? p.principal : p.name}${p.external ? ` (OUTSIDE account ${p.account})` : ''}`;

function sectionLines(result: BilateralAccess, cls: IamAccessClass): string[] {
  const lines: string[] = [];
  const rows = result.principals.filter((p) => p.access[cls]);
  const allowed = rows.filter((p) => (p.access[cls]?.actions.length ?? 0) > 0);
  const unknown = rows.filter((p) => (p.access[cls]?.unknownActions.length ?? 0) > 0);
  const limited = rows.filter((p) => (p.access[cls]?.limited.length ?? 0) > 0);
  if (allowed.length === 0) lines.push('  nobody');
  for (const p of allowed) {
    const a = p.access[cls]!;
    lines.push(
      `  - ${whoIs(p)}${a.conditional ? ' (with conditions)' : ''}`,
      `      ${shortList(a.actions)}`,
      `      because: ${because(p, a)}`,
    );
  }
  for (const p of unknown) {
    const a = p.access[cls]!;
    lines.push(
      `  - ${whoIs(p)}: UNKNOWN for ${shortList(a.unknownActions)}`,
      `      because keywarden could not read: ${a.unknownReasons.join('; ')}`,
    );
  }
  if (limited.length > 0) lines.push('  Limited (the key policy allows it, a guard-rail takes it away):');
  for (const p of limited) for (const l of p.access[cls]!.limited) lines.push(`  - ${whoIs(p)}: ${limitText(l)}`);
  return lines;
}

/** How RCPs change reach, in words. */
export function rcpReachLines(reach: RcpReach): string[] {
  if (reach.unknown)
    return [
      `Reach under RCPs: not judged: ${reach.unknown}. Reach stays ${REACH_WORD[reach.before]} as the key policy says.`,
    ];
  if (reach.blocked.length === 0)
    return [
      `Reach under RCPs: still ${REACH_WORD[reach.after]}: no RCP denies the outside principals the key policy names.`,
    ];
  const lines = [
    `Reach under RCPs: ${REACH_WORD[reach.before]} by the key policy, ${REACH_WORD[reach.after]} in fact.`,
  ];
  for (const b of reach.blocked)
    lines.push(
      `  - ${b.principal === '*' ? 'anyone' : b.principal}: denied by ${b.by.map((r) => refText(r, true)).join(', ') || 'the RCPs'}`,
    );
  return lines;
}

export function explainIamAccess(result: BilateralAccess, reach?: RcpReach): string[] {
  const lines: string[] = [''];
  if (result.status === 'unknown') {
    lines.push(`IAM side: UNKNOWN: ${result.unknownReason}.`);
    if (result.principals.length === 0) return lines;
  } else {
    lines.push(
      `IAM side (account ${result.account}): ${result.checked} users and roles checked; key policy AND IAM policies, boundaries, SCPs and RCPs together.`,
    );
  }
  for (const { cls, heading } of SECTIONS)
    lines.push('', `${heading}, as users and roles:`, ...sectionLines(result, cls));
  if (reach) lines.push('', ...rcpReachLines(reach));
  if (result.notes.length > 0) lines.push('', 'Notes:', ...result.notes.map((n) => `  - ${n}`));
  return lines;
}
