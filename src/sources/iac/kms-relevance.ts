/**
 * Does an identity policy concern KMS? True when any string mentions kms (an action, a key ARN, kms:ViaService),
 * when an Action/NotAction pattern covers a kms action (`*`, `*:*`, `k*:*`), or when it uses NotAction.
 */

const ACTION_KEYS = new Set(['Action', 'NotAction', 'actions', 'not_actions']);

function patternCoversKms(pattern: string): boolean {
  const service = pattern.includes(':') ? pattern.slice(0, pattern.indexOf(':')) : pattern;
  if (!/[*?]/.test(service)) return false;
  const regex = new RegExp(
    `^${service
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return regex.test('kms');
}

export function mentionsKms(document: unknown): boolean {
  const stack: Array<{ value: unknown; inAction: boolean }> = [{ value: document, inAction: false }];
  let visited = 0;
  while (stack.length > 0) {
    const { value, inAction } = stack.pop() as { value: unknown; inAction: boolean };
    if (++visited > 1_000_000) return true;
    if (typeof value === 'string') {
      if (/kms/i.test(value)) return true;
      if (inAction && patternCoversKms(value)) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, inAction });
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (key === 'NotAction' || key === 'not_actions') return true;
        stack.push({ value: item, inAction: inAction || ACTION_KEYS.has(key) });
      }
    }
  }
  return false;
}
