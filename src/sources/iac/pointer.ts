/** RFC 6901 JSON pointers: build, split, and find the nearest located ancestor. */

export function escapeSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function childPointer(pointer: string, segment: string | number): string {
  return `${pointer}/${escapeSegment(segment)}`;
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map(unescapeSegment);
}

export function parentPointer(pointer: string): string | undefined {
  if (pointer === '') return undefined;
  return pointer.slice(0, pointer.lastIndexOf('/'));
}

/** The value of `lookup` at `pointer` or at its nearest ancestor that has one. */
export function nearest<T>(pointer: string, lookup: (p: string) => T | undefined): T | undefined {
  let current: string | undefined = pointer;
  while (current !== undefined) {
    const found = lookup(current);
    if (found !== undefined) return found;
    current = parentPointer(current);
  }
  return undefined;
}
