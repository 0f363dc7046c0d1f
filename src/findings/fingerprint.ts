import { createHash } from 'node:crypto';

/**
 * A finding's stable id: a fingerprint of rule, resource, normalised principal, action class and Sid; never of file,
 * line or formatting, so the same exposure read from an event, a scan or a template has the same id.
 */
export function fingerprint(parts: {
  rule: string;
  resource: string;
  principal?: string;
  actionClass?: string;
  sid?: string;
}): string {
  const text = [
    parts.rule,
    parts.resource,
    (parts.principal ?? '').toLowerCase(),
    parts.actionClass ?? '',
    parts.sid ?? '',
  ].join('\n');
  return `KW-${createHash('sha256').update(text).digest('hex').slice(0, 20)}`;
}
