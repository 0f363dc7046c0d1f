/**
 * Key exemptions (keywarden.yaml `exemptions`): which entry, if any, exempts a key. An entry names one or more of an
 * alias glob, a tag and a key id; every part it names must match. Globs use `*` and `?`, ignore case and match the
 * whole name. Alias globs match the alias name without `alias/`; any of a key's aliases may match.
 */
import { z } from 'zod';
import type { KeySnapshot } from '../../kms/snapshot';
import { wildcardMatch } from '../../policy';

export const exemptionSchema = z
  .strictObject({
    name: z.string().min(1).optional().describe('A short name shown in reports (default: exemptions[N]).'),
    alias: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Alias name glob, without "alias/", case-insensitive, whole name: "Otter-*" matches alias/otter-payments.',
      ),
    tag: z
      .strictObject({
        key: z.string().min(1).describe('Tag key (exact, case-sensitive as in AWS).'),
        value: z.string().optional().describe('Tag value glob, case-insensitive (default: any value).'),
      })
      .optional()
      .describe('A tag the key carries.'),
    keyId: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Key id or key ARN glob, case-insensitive: "1234abcd-*" or "arn:aws:kms:eu-west-1:111122223333:key/*".',
      ),
    reason: z.string().min(1).optional().describe('Why the key is exempt (shown as the compliance reason).'),
  })
  .refine((e) => e.alias !== undefined || e.tag !== undefined || e.keyId !== undefined, {
    message: 'an exemption needs at least one of alias, tag or keyId',
  });

export type Exemption = z.infer<typeof exemptionSchema>;

export interface ExemptionMatch {
  /** `name`, else `exemptions[N]`. */
  entry: string;
  /** What matched, in words: `alias "Otter-*" matches alias/otter-payments`. */
  matched: string[];
  reason?: string;
}

const withoutPrefix = (alias: string): string => alias.replace(/^alias\//i, '');

/** The id part of a key ARN (`1234abcd-...` or `mrk-...`). */
const keyIdOf = (snapshot: KeySnapshot): string =>
  snapshot.metadata.ok ? snapshot.metadata.value.KeyId : (snapshot.arn.split('/').pop() ?? snapshot.arn);

function matchEntry(e: Exemption, snapshot: KeySnapshot): string[] | undefined {
  const matched: string[] = [];
  if (e.alias !== undefined) {
    if (!snapshot.aliases.ok) return undefined;
    const pattern = withoutPrefix(e.alias);
    const hit = snapshot.aliases.value.find((a) => wildcardMatch(pattern, withoutPrefix(a), true));
    if (hit === undefined) return undefined;
    matched.push(`alias "${e.alias}" matches ${hit}`);
  }
  if (e.tag !== undefined) {
    if (!snapshot.tags.ok || !Object.hasOwn(snapshot.tags.value, e.tag.key)) return undefined;
    const value = snapshot.tags.value[e.tag.key] ?? '';
    if (e.tag.value !== undefined && !wildcardMatch(e.tag.value, value, true)) return undefined;
    matched.push(`tag ${e.tag.key}=${value}`);
  }
  if (e.keyId !== undefined) {
    const id = keyIdOf(snapshot);
    if (!wildcardMatch(e.keyId, id, true) && !wildcardMatch(e.keyId, snapshot.arn, true)) return undefined;
    matched.push(`key id "${e.keyId}" matches ${id}`);
  }
  return matched;
}

/** The first entry that exempts the key, or undefined. Data that could not be read never matches. */
export function exemptionOf(snapshot: KeySnapshot, exemptions: readonly Exemption[]): ExemptionMatch | undefined {
  for (const [index, e] of exemptions.entries()) {
    const matched = matchEntry(e, snapshot);
    if (matched) return { entry: e.name ?? `exemptions[${index}]`, matched, reason: e.reason };
  }
  return undefined;
}

/** `exempted by exemptions[0] (alias "Otter-*" matches alias/otter-payments): owned by the Otter team`. */
export const describeExemption = (m: ExemptionMatch): string =>
  `exempted by ${m.entry} (${m.matched.join(', ')})${m.reason ? `: ${m.reason}` : ''}`;
