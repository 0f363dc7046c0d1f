/** The words every format uses for reach, evidence and example requests: one definition each. */
import type { Evidence, ExampleRequest } from '../../findings/types';
import type { Reach } from '../../kms/access-map';
import type { Gap } from '../../kms/snapshot';

export const REACH_BADGE: Record<Reach, string> = {
  public: 'PUBLIC',
  'cross-account': 'CROSS-ACCOUNT',
  internal: 'INTERNAL',
  unknown: 'UNKNOWN',
};

/** `file:line:col`, `file:line`, `file`, or `line L:C` when there is no file; undefined when nothing is known. */
export function formatPlace(place: { file?: string; line?: number; column?: number }): string | undefined {
  const position =
    place.line === undefined
      ? undefined
      : place.column === undefined
        ? `${place.line}`
        : `${place.line}:${place.column}`;
  if (place.file) return position ? `${place.file}:${position}` : place.file;
  return position ? `line ${position}` : undefined;
}

/** `Sid "Name" at /Statement/1 in key.json:12:5` (each part only when known). */
export function formatEvidence(evidence: Evidence): string {
  const parts: string[] = [];
  if (evidence.sid) parts.push(`Sid "${evidence.sid}"`);
  parts.push(`at ${evidence.pointer || '/'}`);
  const place = formatPlace(evidence);
  if (place) parts.push(`in ${place}`);
  return parts.join(' ');
}

/** `PRINCIPAL can call ACTION (key=value, key=[a, b])` on one line. */
export function formatExample(example: ExampleRequest): string {
  const context = Object.entries(example.context ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${Array.isArray(value) ? `[${value.join(', ')}]` : value}`);
  const when = context.length > 0 ? ` (${context.join(', ')})` : '';
  return oneLine(`${example.principal} can call ${example.action}${when}`);
}

/** Where a gap happened: `account/region`, `key ...`, `file:line:col`, `pointer`, joined. */
export function formatGapPlace(gap: Gap): string {
  const parts: string[] = [];
  if (gap.account || gap.region) parts.push([gap.account ?? '?', gap.region ?? '?'].join('/'));
  if (gap.key) parts.push(`key ${gap.key}`);
  const place = formatPlace(gap);
  if (place) parts.push(place);
  if (gap.pointer) parts.push(gap.pointer);
  return parts.length > 0 ? parts.join(' ') : 'input';
}

const isControl = (code: number): boolean =>
  code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;

/** Collapses line breaks and control characters to single spaces. */
export function oneLine(text: string): string {
  let out = '';
  for (const char of text) out += isControl(char.codePointAt(0) ?? 0) ? ' ' : char;
  return out.replace(/ {2,}/g, ' ').trim();
}
