/**
 * The analysis every door shares: a KeySnapshot in, a KeyReport out (access map, findings, compliance). Pure.
 */

import { fingerprint } from '../findings/fingerprint';
import type { ComplianceStatus, KeyReport } from '../findings/report';
import { type Finding, type Severity, severityRank } from '../findings/types';
import { analyseAccess, unknownAccess } from '../kms/access';
import type { AccessMap } from '../kms/access-map';
import type { KeySnapshot } from '../kms/snapshot';
import { RULES } from './registry';
import type { AnalysedKey, Draft, Rule, Trusted } from './rule';

export interface RuleSetting {
  enabled?: boolean;
  severity?: Severity;
  params?: Record<string, unknown>;
}

export interface AnalysisOptions {
  trusted: Trusted;
  rules?: Record<string, RuleSetting>;
}

export const NO_TRUST: Trusted = { accounts: [], organizations: [], orgPaths: [] };

export function analyseSnapshot(snapshot: KeySnapshot): AnalysedKey {
  const policy = snapshot.policy.ok ? snapshot.policy.value : undefined;
  const grants = snapshot.grants.ok ? snapshot.grants.value : undefined;
  const access: AccessMap = policy
    ? analyseAccess({ account: snapshot.account, keyArn: snapshot.arn, policy, grants })
    : unknownAccess(snapshot.policy.ok ? '' : snapshot.policy.reason);
  return { snapshot, access, policy, grants };
}

export function toFinding(rule: Rule, severity: Severity, key: AnalysedKey, draft: Draft): Finding {
  const { snapshot, policy } = key;
  const resource =
    snapshot.origin.kind === 'template' && snapshot.origin.logicalId ? snapshot.origin.logicalId : snapshot.arn;
  const inPolicy = draft.pointer.startsWith('/');
  const position = inPolicy && policy && snapshot.origin.positionsInFile ? policy.locate(draft.pointer) : undefined;
  return {
    id: fingerprint({
      rule: rule.id,
      resource,
      principal: draft.principal,
      actionClass: draft.actionClass,
      sid: draft.sid,
    }),
    rule: rule.id,
    severity,
    status: draft.status ?? 'fail',
    resource,
    title: draft.title,
    explanation: draft.explanation,
    evidence: {
      ...(snapshot.origin.file ? { file: snapshot.origin.file } : {}),
      pointer: draft.pointer,
      ...(position?.line !== undefined ? { line: position.line, column: position.column } : {}),
      ...(draft.sid !== undefined ? { sid: draft.sid } : {}),
    },
    ...(draft.example ? { example: draft.example } : {}),
    remediation: draft.remediation,
    ...(draft.principal !== undefined ? { principal: draft.principal } : {}),
    ...(draft.actionClass !== undefined ? { actionClass: draft.actionClass } : {}),
  };
}

/** Runs the enabled rules on one key. Findings with the same id (the same exposure) are reported once. */
export function runRules(key: AnalysedKey, options: AnalysisOptions): Finding[] {
  const findings = new Map<string, Finding>();
  for (const rule of RULES) {
    const setting = options.rules?.[rule.id];
    if (setting?.enabled === false) continue;
    const params = rule.parameters.parse(setting?.params ?? {});
    for (const draft of rule.check(key, { trusted: options.trusted, params })) {
      const finding = toFinding(rule, setting?.severity ?? rule.severity, key, draft);
      if (!findings.has(finding.id)) findings.set(finding.id, finding);
    }
  }
  return [...findings.values()].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) || a.rule.localeCompare(b.rule) || a.id.localeCompare(b.id),
  );
}

export function compliance(key: AnalysedKey, findings: Finding[]): KeyReport['compliance'] {
  const active = findings.filter((f) => !f.suppressed && f.severity !== 'info');
  const unknown = active.filter((f) => f.status === 'unknown');
  let status: ComplianceStatus = 'COMPLIANT';
  let reason = 'no rule failed';
  if (unknown.length > 0) {
    status = 'NON_COMPLIANT';
    reason = `could not be judged: ${unknown.map((f) => f.title).join('; ')}`;
  } else if (active.length > 0) {
    status = 'NON_COMPLIANT';
    reason = `failed ${[...new Set(active.map((f) => f.rule))].join(', ')}`;
  } else if (key.snapshot.metadata.ok && key.snapshot.metadata.value.KeyState === 'PendingDeletion') {
    reason = 'pending deletion; no rule failed';
  }
  return { status, reason };
}

export function analyseKey(snapshot: KeySnapshot, options: AnalysisOptions): KeyReport {
  const key = analyseSnapshot(snapshot);
  const findings = runRules(key, options);
  return { key: snapshot, access: key.access, findings, compliance: compliance(key, findings) };
}
