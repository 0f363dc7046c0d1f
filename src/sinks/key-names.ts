/** How a key is named to a reader: its aliases, its key id, and where it lives. */
import type { KeySnapshot } from '../kms/snapshot';

/** The key id of a key ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID` -> `ID`); the input itself when it is no key ARN. */
export function keyIdOf(arn: string): string {
  const match = /^arn:[^:]+:kms:[^:]*:[^:]*:key\/(.+)$/.exec(arn);
  return match?.[1] ?? arn;
}

/** The aliases that were read, sorted; empty when there are none or they could not be read. */
export function aliasesOf(key: KeySnapshot): string[] {
  return key.aliases.ok ? [...key.aliases.value].sort() : [];
}

/** The key's template logical id when it came from a template. */
export function logicalIdOf(key: KeySnapshot): string | undefined {
  return key.origin.kind === 'template' ? key.origin.logicalId : undefined;
}

/** A short human name: first alias, else template logical id, else key id. */
export function displayName(key: KeySnapshot): string {
  return aliasesOf(key)[0] ?? logicalIdOf(key) ?? keyIdOf(key.arn);
}
