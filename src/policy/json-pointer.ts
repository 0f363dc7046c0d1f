/** RFC 6901 JSON pointers: the `where` of every element and every error. */

/** Escape one reference token (`~` -> `~0`, `/` -> `~1`). */
export function pointerToken(key: string): string {
  if (key.indexOf('~') === -1 && key.indexOf('/') === -1) return key;
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The pointer of a child element. */
export function childPointer(parent: string, key: string | number): string {
  return typeof key === 'number' ? `${parent}/${key}` : `${parent}/${pointerToken(key)}`;
}

/** Split a pointer into unescaped tokens (`""` -> `[]`). Array indexes stay strings. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  const raw = pointer.startsWith('/') ? pointer.slice(1) : pointer;
  return raw.split('/').map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}
