/**
 * One key of the JSON report (`keywarden.report/v1`): plain data in a fixed field order, every list sorted.
 * The parsed policy's behaviour never leaves: only its JSON document is kept, under `policy`.
 */
import type { KeyReport } from '../../findings/report';
import type { Finding } from '../../findings/types';
import type { AccessPath, PrincipalAccess } from '../../kms/access-map';
import type { Known } from '../../kms/known';
import type { Grant, KeySnapshot } from '../../kms/snapshot';
import type { PolicyDocument } from '../../policy/types';
import { aliasesOf, keyIdOf } from '../key-names';
import { sortedRecord, sortFindings } from '../order';

const sorted = (values: readonly string[]): string[] => [...values].sort();

/** Drops undefined fields so the output has no `"x": undefined` holes and the schema sees only what is known. */
const compact = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

export interface JsonFinding {
  id: string;
  rule: string;
  severity: Finding['severity'];
  status: Finding['status'];
  resource: string;
  title: string;
  explanation: string;
  principal?: string;
  actionClass?: string;
  evidence: Finding['evidence'];
  example?: Finding['example'];
  remediation: Finding['remediation'];
  suppressed?: Finding['suppressed'];
}

export function jsonFinding(finding: Finding): JsonFinding {
  const { example } = finding;
  return compact({
    id: finding.id,
    rule: finding.rule,
    severity: finding.severity,
    status: finding.status,
    resource: finding.resource,
    title: finding.title,
    explanation: finding.explanation,
    principal: finding.principal,
    actionClass: finding.actionClass,
    evidence: compact({ ...finding.evidence }),
    example: example
      ? compact({ ...example, context: example.context ? sortedRecord(example.context) : undefined })
      : undefined,
    remediation: compact({ ...finding.remediation }),
    suppressed: finding.suppressed ? compact({ ...finding.suppressed }) : undefined,
  });
}

const comparePaths = (a: AccessPath, b: AccessPath): number => {
  const key = (p: AccessPath) => (p.kind === 'statement' ? `s${p.pointer}` : `g${p.grantId}`);
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
};

function jsonPrincipal(p: PrincipalAccess): PrincipalAccess {
  return compact({
    principal: p.principal,
    kind: p.kind,
    account: p.account,
    external: p.external,
    public: p.public,
    actions: sorted(p.actions),
    classes: sorted(p.classes) as PrincipalAccess['classes'],
    conditionKeys: sorted(p.conditionKeys),
    pins: sorted(p.pins),
    via: [...p.via].sort(comparePaths).map((path) => compact({ ...path })),
  });
}

const valueOr = <T>(known: Known<T>): T | null => (known.ok ? known.value : null);

/** Every field of the snapshot that could not be read (or that the input cannot carry), with the reason. */
function notRead(key: KeySnapshot): Record<string, string> {
  const fields: Array<[string, Known<unknown>]> = [
    ['metadata', key.metadata],
    ['aliases', key.aliases],
    ['tags', key.tags],
    ['policy', key.policy],
    ['grants', key.grants],
    ['rotation', key.rotation],
  ];
  return Object.fromEntries(fields.flatMap(([name, known]) => (known.ok ? [] : [[name, known.reason]])));
}

const sortGrants = (grants: readonly Grant[]): Grant[] =>
  [...grants].sort((a, b) => (a.GrantId < b.GrantId ? -1 : a.GrantId > b.GrantId ? 1 : 0));

export function jsonKey(report: KeyReport) {
  const { key, access } = report;
  const tags = valueOr(key.tags);
  const grants = valueOr(key.grants);
  const policy: PolicyDocument | null = key.policy.ok ? key.policy.value.document : null;
  return compact({
    arn: key.arn,
    keyId: keyIdOf(key.arn),
    account: key.account,
    region: key.region,
    aliases: aliasesOf(key),
    origin: compact({ ...key.origin }),
    collectedAt: key.collectedAt,
    metadata: valueOr(key.metadata),
    tags: tags ? sortedRecord(tags) : null,
    rotation: valueOr(key.rotation),
    grants: grants ? sortGrants(grants) : null,
    policy,
    notRead: notRead(key),
    reach: access.reach,
    reachUnknownReason: access.unknownReason,
    externalAccounts: sorted(access.externalAccounts),
    delegatesToAccount: access.delegatesToAccount,
    separationOfDuties: {
      ok: access.separationOfDuties.ok,
      violators: [...access.separationOfDuties.violators]
        .sort((a, b) => (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0))
        .map((v) => ({
          principal: v.principal,
          useActions: sorted(v.useActions),
          adminActions: sorted(v.adminActions),
        })),
    },
    principals: [...access.principals]
      .sort((a, b) => (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0))
      .map(jsonPrincipal),
    findings: sortFindings(report.findings).map(jsonFinding),
    compliance: { status: report.compliance.status, reason: report.compliance.reason },
  });
}

export type JsonKey = ReturnType<typeof jsonKey>;
