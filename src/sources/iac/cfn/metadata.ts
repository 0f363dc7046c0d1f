/**
 * Suppressions written in a resource's Metadata:
 *   Metadata: { keywarden: { suppress: [ { rule: <rule id>, reason: <why> } ] } }
 * and the ids other scanners are told to skip (cfn_nag rules_to_suppress, checkov skip, cfn-guard SuppressedRules).
 */
import type { ReadLog } from '../log';
import { childPointer } from '../pointer';
import type { TemplateSuppression } from '../types';
import { isRecord } from './template';

export interface ResourceSuppressions {
  suppressions: TemplateSuppression[];
  peerSuppressions: string[];
}

export function suppressionsOf(metadata: unknown, resourcePointer: string, log: ReadLog): ResourceSuppressions {
  const suppressions: TemplateSuppression[] = [];
  const peerSuppressions: string[] = [];
  if (!isRecord(metadata)) return { suppressions, peerSuppressions };
  const base = childPointer(resourcePointer, 'Metadata');
  const keywarden = metadata.keywarden;
  if (keywarden !== undefined) {
    const list = isRecord(keywarden) ? keywarden.suppress : undefined;
    const listPointer = childPointer(childPointer(base, 'keywarden'), 'suppress');
    if (!Array.isArray(list)) {
      log.error(listPointer, 'Metadata.keywarden.suppress must be a list of {rule, reason}');
    } else {
      list.forEach((entry, index) => {
        const rule = isRecord(entry) ? entry.rule : undefined;
        const reason = isRecord(entry) ? entry.reason : undefined;
        if (typeof rule !== 'string' || rule.trim() === '' || typeof reason !== 'string' || reason.trim() === '') {
          log.error(
            childPointer(listPointer, index),
            'a keywarden suppression needs a rule id and a reason, e.g. {rule: kms-public-key, reason: "why this is safe"}',
          );
          return;
        }
        suppressions.push({ rule: rule.trim(), reason: reason.trim() });
      });
    }
  }
  const idsOf = (list: unknown, field: string | undefined): string[] =>
    Array.isArray(list)
      ? list
          .map((entry) => (field === undefined ? entry : isRecord(entry) ? entry[field] : undefined))
          .filter((id): id is string => typeof id === 'string')
      : [];
  if (isRecord(metadata.cfn_nag)) peerSuppressions.push(...idsOf(metadata.cfn_nag.rules_to_suppress, 'id'));
  if (isRecord(metadata.checkov)) peerSuppressions.push(...idsOf(metadata.checkov.skip, 'id'));
  if (isRecord(metadata.guard) && Array.isArray(metadata.guard.SuppressedRules)) {
    // cfn-guard takes rule names, written as strings or as {RULE_NAME: reason}.
    for (const entry of metadata.guard.SuppressedRules) {
      if (typeof entry === 'string') peerSuppressions.push(entry);
      else if (isRecord(entry)) peerSuppressions.push(...Object.keys(entry));
    }
  }
  return { suppressions, peerSuppressions };
}
