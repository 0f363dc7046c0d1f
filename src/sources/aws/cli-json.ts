/**
 * SDK output -> the JSON `aws <service> <command> --output json` prints: no `$metadata`, no undefined members,
 * timestamps as ISO strings, blobs as base64; paged calls print their merged result list only.
 */

export function toCliJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toCliJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(value)) {
      if (name === '$metadata' || member === undefined) continue;
      out[name] = toCliJson(member);
    }
    return out;
  }
  return value;
}

/** One response of a non-paged command, as the CLI prints it. */
export function cliOutput<T>(output: object): T {
  return toCliJson(output) as T;
}

/** The merged pages of a paged command, as the CLI prints them: the result list only, paging tokens dropped. */
export function mergedPages<T>(pages: object[], resultKey: string): T {
  const items: unknown[] = [];
  for (const page of pages) {
    const list = (page as Record<string, unknown>)[resultKey];
    if (Array.isArray(list)) items.push(...list);
  }
  return toCliJson({ [resultKey]: items }) as T;
}
