/**
 * The analysis every door shares: a KeySnapshot in, a KeyReport out (access map, findings, compliance). Pure: the
 * clock arrives as `options.now`.
 *
 * Order: every enabled rule runs; an exempted key (rule `exempt-key`) keeps its findings but all of them are
 * suppressed by the exemption; otherwise the suppressions of keywarden.yaml apply, and an expired suppression that
 * would have matched is reported as a `suppression-expired` finding. Compliance is judged last (see `compliance`).
 */

import { fingerprint } from '../findings/fingerprint';
import type { ComplianceStatus, KeyReport } from '../findings/report';
import { type Finding, type Severity, severityRank } from '../findings/types';
import { analyseAccess, unknownAccess } from '../kms/access';
import type { AccessMap } from '../kms/access-map';
import { isNotCarried } from '../kms/known';
import type { KeySnapshot } from '../kms/snapshot';
import { wildcardMatch } from '../policy';
import { RULES } from './registry';
import type { AnalysedKey, Draft, Rule, Trusted } from './rule';

export interface RuleSetting {
  enabled?: boolean;
  severity?: Severity;
  params?: Record<string, unknown>;
}

/** A suppression of keywarden.yaml: a finding id, or a rule and/or a resource glob. */
export interface Suppression {
  /** Finding id (KW-...). */
  id?: string;
  /** Rule id. */
  rule?: string;
  /** Key ARN (or template logical id) glob, case-insensitive, whole value. */
  resource?: string;
  reason: string;
  owner: string;
  /** The instant it stops suppressing (ISO); a date in keywarden.yaml means the end of that day, UTC. */
  expires: string;
  /** Where it was declared, for messages: `suppressions[2]`. */
  name: string;
}

/** What to make of a disabled key: reported (default), a failure, or out of scope. */
export type DisabledKeys = 'report' | 'fail' | 'not-applicable';

export interface AnalysisOptions {
  trusted: Trusted;
  rules?: Record<string, RuleSetting>;
  suppressions?: Suppression[];
  /** The time suppressions are judged at (ISO). Without it suppressions are not applied. */
  now?: string;
  disabledKeys?: DisabledKeys;
}

export const NO_TRUST: Trusted = { accounts: [], organizations: [], orgPaths: [] };

/** The rule whose finding marks an exempted key. */
export const EXEMPT_RULE = 'exempt-key';

/** Rule id of the finding an expired suppression becomes (documented in docs/configuration.md). */
export const SUPPRESSION_EXPIRED = {
  id: 'suppression-expired',
  title: 'A suppression in keywarden.yaml has expired',
  severity: 'low' as Severity,
  docs: {
    why: 'Suppressions carry an expiry date so that accepted risks are looked at again. Once expired, the finding it hid counts again and this reminder names the suppression to renew or remove.',
    fix: 'Fix the finding, or renew the suppression in keywarden.yaml with a new expires date (and a reason and owner that still hold).',
    references: ['docs/configuration.md#suppressions'],
  },
};

export function analyseSnapshot(snapshot: KeySnapshot): AnalysedKey {
  const policy = snapshot.policy.ok ? snapshot.policy.value : undefined;
  const grants = snapshot.grants.ok ? snapshot.grants.value : undefined;
  const access: AccessMap = policy
    ? analyseAccess({ account: snapshot.account, keyArn: snapshot.arn, policy, grants })
    : unknownAccess(snapshot.policy.ok ? '' : snapshot.policy.reason);
  return { snapshot, access, policy, grants };
}

const resourceOf = (snapshot: KeySnapshot): string =>
  snapshot.origin.kind === 'template' && snapshot.origin.logicalId ? snapshot.origin.logicalId : snapshot.arn;

export function toFinding(rule: Rule, severity: Severity, key: AnalysedKey, draft: Draft): Finding {
  const { snapshot, policy } = key;
  const resource = resourceOf(snapshot);
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

const bySeverity = (a: Finding, b: Finding): number =>
  severityRank(b.severity) - severityRank(a.severity) || a.rule.localeCompare(b.rule) || a.id.localeCompare(b.id);

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
  return applySuppressions(key, [...findings.values()], options).sort(bySeverity);
}

function suppressionMatches(s: Suppression, f: Finding): boolean {
  if (s.id !== undefined && s.id !== f.id) return false;
  if (s.rule !== undefined && s.rule !== f.rule) return false;
  if (s.resource !== undefined && !wildcardMatch(s.resource, f.resource, true)) return false;
  return s.id !== undefined || s.rule !== undefined || s.resource !== undefined;
}

/** The day a suppression lasts through: `2026-06-30` for the instant 2026-07-01T00:00:00.000Z. */
export const expiryDay = (iso: string): string => {
  const t = Date.parse(iso);
  return new Date(iso.endsWith('T00:00:00.000Z') ? t - 1 : t).toISOString().slice(0, 10);
};

function expiredFinding(key: AnalysedKey, s: Suppression, hidden: Finding[], severity: Severity): Finding {
  const resource = resourceOf(key.snapshot);
  const what = hidden.map((f) => `${f.rule} "${f.title}"`).join('; ');
  return {
    id: fingerprint({ rule: SUPPRESSION_EXPIRED.id, resource, actionClass: s.name }),
    rule: SUPPRESSION_EXPIRED.id,
    severity,
    status: 'fail',
    resource,
    title: `Suppression ${s.name} expired on ${expiryDay(s.expires)}`,
    explanation: `${s.name} of keywarden.yaml (owner ${s.owner}: ${s.reason}) expired on ${expiryDay(s.expires)}, so it no longer hides ${what}.`,
    evidence: { pointer: '' },
    remediation: {
      summary: `Fix the finding, or ask ${s.owner} to renew ${s.name} in keywarden.yaml with a new expires date.`,
    },
    actionClass: s.name,
  };
}

/** Exemption first (it suppresses everything), then the suppressions of keywarden.yaml. */
function applySuppressions(key: AnalysedKey, findings: Finding[], options: AnalysisOptions): Finding[] {
  const exemption = findings.find((f) => f.rule === EXEMPT_RULE);
  if (exemption) {
    const reason = exemption.title.replace(/^Key /, '');
    return findings.map((f) => (f === exemption ? f : { ...f, suppressed: { reason } }));
  }
  const suppressions = options.suppressions ?? [];
  if (suppressions.length === 0 || options.now === undefined) return findings;
  const now = Date.parse(options.now);
  const expiredHits = new Map<Suppression, Finding[]>();
  const out = findings.map((f) => {
    const matching = suppressions.filter((s) => suppressionMatches(s, f));
    const active = matching.find((s) => Date.parse(s.expires) > now);
    for (const s of matching.filter((x) => x !== active && Date.parse(x.expires) <= now))
      expiredHits.set(s, [...(expiredHits.get(s) ?? []), f]);
    return active ? { ...f, suppressed: { reason: active.reason, owner: active.owner, expires: active.expires } } : f;
  });
  const severity = options.rules?.[SUPPRESSION_EXPIRED.id]?.severity ?? SUPPRESSION_EXPIRED.severity;
  for (const [s, hidden] of expiredHits) {
    // Still hidden by another, active suppression: nothing resurfaced, nothing to report.
    const resurfaced = hidden.filter((f) => !out.find((o) => o.id === f.id)?.suppressed);
    if (resurfaced.length > 0) out.push(expiredFinding(key, s, resurfaced, severity));
  }
  return out;
}

const isDisabled = (snapshot: KeySnapshot): boolean =>
  snapshot.metadata.ok &&
  (snapshot.metadata.value.KeyState === 'Disabled' || snapshot.metadata.value.Enabled === false) &&
  snapshot.metadata.value.KeyState !== 'PendingDeletion';

/**
 * Per-key compliance with its reason. Exempted: COMPLIANT (which entry). Disabled with `disabledKeys:
 * not-applicable`: NOT_APPLICABLE. Data that could not be read: NON_COMPLIANT, never COMPLIANT (a suppression does
 * not change that). A finding above info
 * that is not suppressed (or the key-state finding of a disabled key with `disabledKeys: fail`): NON_COMPLIANT,
 * naming the rules. Else COMPLIANT.
 */
export function compliance(
  key: AnalysedKey,
  findings: Finding[],
  options: Pick<AnalysisOptions, 'disabledKeys'> = {},
): KeyReport['compliance'] {
  const exemption = findings.find((f) => f.rule === EXEMPT_RULE);
  if (exemption) return { status: 'COMPLIANT', reason: exemption.title.replace(/^Key /, '') };
  const { snapshot } = key;
  const disabledKeys = options.disabledKeys ?? 'report';
  const disabled = isDisabled(snapshot);
  if (disabled && disabledKeys === 'not-applicable')
    return { status: 'NOT_APPLICABLE', reason: 'key disabled (keywarden.yaml keys.disabled: not-applicable)' };
  const active = findings.filter(
    (f) => !f.suppressed && (f.severity !== 'info' || (disabled && disabledKeys === 'fail' && f.rule === 'key-state')),
  );
  // Unknown is never made COMPLIANT by a suppression: only an exemption takes a key out of judgement.
  const unknownFindings = findings.filter((f) => f.status === 'unknown' && f.severity !== 'info');
  let status: ComplianceStatus = 'COMPLIANT';
  let reason = 'no rule failed';
  const metadataUnread = !snapshot.metadata.ok && !isNotCarried(snapshot.metadata);
  if (unknownFindings.length > 0 || metadataUnread) {
    status = 'NON_COMPLIANT';
    const unread = [
      ...unknownFindings.map((f) => f.title),
      ...(metadataUnread && !snapshot.metadata.ok
        ? [`key metadata could not be read (${snapshot.metadata.reason})`]
        : []),
    ];
    reason = `could not be judged: ${unread.join('; ')}`;
  } else if (active.length > 0) {
    status = 'NON_COMPLIANT';
    const rules = [...new Set(active.map((f) => f.rule))];
    reason = `failed ${rules.join(', ')}`;
  } else if (snapshot.metadata.ok && snapshot.metadata.value.KeyState === 'PendingDeletion') {
    reason = 'pending deletion; no rule failed';
  } else if (disabled) {
    reason = 'key disabled (reported, not a failure); no rule failed';
  }
  const suppressed = findings.filter((f) => f.suppressed && f.severity !== 'info').length;
  if (status === 'COMPLIANT' && suppressed > 0) reason += `; ${suppressed} finding(s) suppressed`;
  return { status, reason };
}

export function analyseKey(snapshot: KeySnapshot, options: AnalysisOptions): KeyReport {
  const key = analyseSnapshot(snapshot);
  const findings = runRules(key, options);
  return { key: snapshot, access: key.access, findings, compliance: compliance(key, findings, options) };
}
