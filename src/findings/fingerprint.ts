import * as crypto from 'node:crypto';

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
  // As [...].join("\n") built it: a missing part is an empty line.
  const text = `${parts.rule ?? ''}\n${parts.resource ?? ''}\n${(parts.principal ?? '').toLowerCase()}\n${parts.actionClass ?? ''}\n${parts.sid ?? ''}`;
  return `KW-${sha256Hex(text).slice(0, 20)}`;
}

/** One-shot crypto.hash where Node has it (20.12+), else a Hash object: the same digest, a third of the time. */
const sha256Hex: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => (crypto as unknown as { hash: (algorithm: string, data: string) => string }).hash('sha256', text)
    : (text) => crypto.createHash('sha256').update(text).digest('hex');
