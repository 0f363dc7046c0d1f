/**
 * Access Analyzer cross-check (issue 4, item 8): per key, where keywarden's reach and IAM Access Analyzer's active
 * external-access findings agree (both external, both not) or differ, and why when keywarden knows (pins, grants,
 * RCPs). Pure: the findings come from src/sources/aws (readAccessAnalyzerFindings); their shape is described
 * structurally here so that the collector's AccessAnalyzerRegion fits.
 */
import type { KeyReport } from '../findings/report';
import type { PrincipalAccess, Reach } from '../kms/access-map';
import type { RcpReach } from '../kms/bilateral-types';
import { refText } from '../kms/explain-iam';
import type { KeyExtras } from './iam-explain';

/** A finding as `aws accessanalyzer list-findings` prints it (the fields compared). */
export interface AnalyzerFindingInput {
  id: string;
  analyzerArn: string;
  resource?: string;
  principal?: Record<string, string>;
  isPublic?: boolean;
  status?: string;
}

export interface AnalyzerRegionInput {
  account: string;
  region: string;
  /** Active external-access analyzers read there; empty = none. */
  analyzers: readonly string[];
  findings: readonly AnalyzerFindingInput[];
}

export type Agreement = 'agree-external' | 'agree-internal' | 'differ' | 'no-analyzer' | 'not-judged';

export interface PartyDifference {
  /** An account id, `*` (anyone), or a federated / canonical principal. */
  party: string;
  keywarden: boolean;
  accessAnalyzer: boolean;
  why?: string;
}

export interface AccessAnalyzerComparison {
  status: Agreement;
  analyzers: string[];
  keywarden: { reach: Reach; parties: string[] };
  accessAnalyzer: { parties: string[]; findings: string[] };
  differences: PartyDifference[];
  reason?: string;
}

const accountOf = (value: string): string => /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(value)?.[1] ?? value;

function findingParty(f: AnalyzerFindingInput): string[] {
  if (f.isPublic) return ['*'];
  return Object.values(f.principal ?? {}).map((v) => (v === '*' ? '*' : accountOf(v)));
}

const partyOf = (p: PrincipalAccess): string => (p.principal === '*' ? '*' : (p.account ?? p.principal));

/** Analyzers that cover a key: its own account-region's, and organization analyzers (findings on other accounts). */
function analyzersFor(arn: string, regions: readonly AnalyzerRegionInput[]): string[] {
  const [, , , region, account] = arn.split(':');
  const out = new Set<string>();
  for (const r of regions) {
    if (r.region !== region) continue;
    if (r.account === account) for (const a of r.analyzers) out.add(a);
    for (const f of r.findings) if (f.resource && f.resource.split(':')[4] !== r.account) out.add(f.analyzerArn);
  }
  return [...out].sort();
}

/** Why keywarden sees a party the way it does, when it knows. */
function whyKeywarden(
  party: string,
  entries: readonly PrincipalAccess[],
  reach: RcpReach | undefined,
): string | undefined {
  const mine = entries.filter((p) => partyOf(p) === party);
  const blocked = reach?.blocked.filter((b) => mine.some((p) => p.principal === b.principal)) ?? [];
  if (blocked.length > 0)
    return `keywarden applies the Organization's RCPs: ${blocked.flatMap((b) => b.by.map((r) => refText(r))).join(', ') || 'an RCP'} denies it`;
  if (mine.length > 0 && mine.every((p) => p.via.every((v) => v.kind === 'grant')))
    return `access only through grant(s) ${mine.flatMap((p) => p.via.map((v) => (v.kind === 'grant' ? v.grantId : ''))).join(', ')}`;
  const pins = [...new Set(mine.flatMap((p) => p.pins))];
  if (pins.length > 0) return `access depends on conditions that pin the caller (${pins.join(', ')})`;
  if (mine.length === 0) return 'keywarden finds no request from this party that the key policy and grants allow';
  return undefined;
}

/** Compares one analysed key with the Access Analyzer findings read for it. */
/** Where the findings could not be read (the reader's gaps): an account, an account-region, or the whole run. */
export interface UnreadPlace {
  account?: string;
  region?: string;
  reason: string;
}

export function compareWithAccessAnalyzer(
  report: Pick<KeyReport, 'key' | 'access'>,
  regions: readonly AnalyzerRegionInput[],
  rcpReach?: RcpReach,
  unread: readonly UnreadPlace[] = [],
): AccessAnalyzerComparison {
  const { key, access } = report;
  const analyzers = analyzersFor(key.arn, regions);
  const findings = regions
    .flatMap((r) => r.findings)
    .filter((f) => f.resource === key.arn && (f.status ?? 'ACTIVE') === 'ACTIVE');
  const aaParties = [...new Set(findings.flatMap(findingParty))].sort();
  const outside = access.principals.filter(
    (p) => (p.external || p.public) && p.kind !== 'service' && p.actions.length > 0,
  );
  const blocked = new Set(rcpReach?.blocked.map((b) => b.principal) ?? []);
  const kwParties = [...new Set(outside.filter((p) => !blocked.has(p.principal)).map(partyOf))].sort();
  const base = {
    analyzers,
    keywarden: { reach: rcpReach?.after ?? access.reach, parties: kwParties },
    accessAnalyzer: { parties: aaParties, findings: findings.map((f) => f.id).sort() },
  };
  const read = regions.some((r) => r.account === key.account && r.region === key.region);
  const gap = unread.find((g) => (!g.account || g.account === key.account) && (!g.region || g.region === key.region));
  if (!read && gap && findings.length === 0)
    return {
      status: 'not-judged',
      ...base,
      differences: [],
      reason: `the Access Analyzer findings could not be read: ${gap.reason}`,
    };
  if (analyzers.length === 0 && findings.length === 0)
    return {
      status: 'no-analyzer',
      ...base,
      differences: [],
      reason: `no active Access Analyzer covers ${key.account}/${key.region}`,
    };
  if (access.reach === 'unknown')
    return {
      status: 'not-judged',
      ...base,
      differences: [],
      reason: `keywarden could not read the key policy (${access.unknownReason})`,
    };
  const differences: PartyDifference[] = [];
  for (const party of [...new Set([...kwParties, ...aaParties])].sort()) {
    const kw = kwParties.includes(party);
    const aa = aaParties.includes(party);
    if (kw === aa) continue;
    const why = whyKeywarden(party, outside, rcpReach);
    differences.push({ party, keywarden: kw, accessAnalyzer: aa, ...(why ? { why } : {}) });
  }
  const status: Agreement =
    differences.length > 0 ? 'differ' : kwParties.length > 0 ? 'agree-external' : 'agree-internal';
  return { status, ...base, differences };
}

/** One line for the table. */
export function accessAnalyzerLine(c: AccessAnalyzerComparison): string {
  const parties = (list: readonly string[]) => (list.length ? list.join(', ') : 'none');
  switch (c.status) {
    case 'no-analyzer':
    case 'not-judged':
      return `Access Analyzer: not compared: ${c.reason}`;
    case 'agree-internal':
      return 'Access Analyzer: agrees: no external access';
    case 'agree-external':
      return `Access Analyzer: agrees: external access for ${parties(c.keywarden.parties)}`;
    case 'differ':
      return `Access Analyzer: DIFFERS: ${c.differences
        .map(
          (d) =>
            `${d.party === '*' ? 'anyone' : d.party} external for ${d.keywarden ? 'keywarden' : 'Access Analyzer'} only${d.why ? ` (${d.why})` : ''}`,
        )
        .join('; ')}`;
  }
}

/** Producer of the cross-check for `scan --aws --access-analyzer`; `reachOf` gives the RCP reach when known. */
export const accessAnalyzerExtras =
  (
    regions: readonly AnalyzerRegionInput[],
    reachOf?: (report: KeyReport) => RcpReach | undefined,
    unread: readonly UnreadPlace[] = [],
  ) =>
  (report: KeyReport): KeyExtras => {
    const comparison = compareWithAccessAnalyzer(report, regions, reachOf?.(report), unread);
    return { json: { accessAnalyzer: comparison }, lines: [accessAnalyzerLine(comparison)] };
  };
