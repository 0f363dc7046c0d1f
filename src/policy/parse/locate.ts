import { type Node, parseTree } from 'jsonc-parser';
import { pointerTokens } from '../json-pointer';
import type { Location } from '../types';

/**
 * Line and column of JSON pointers in a source text, computed on first use (jsonc-parser's syntax tree and a
 * table of line starts, both cached): the fast path never pays for positions nobody asks for.
 */

export class LineIndex {
  private starts: number[] | undefined;

  constructor(private readonly text: string) {}

  /** 1-based line and column of a character offset. */
  position(offset: number): { line: number; column: number } {
    if (this.starts === undefined) this.starts = lineStarts(this.text);
    const starts = this.starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/** The node a pointer names, or the deepest existing node on its way. Object members resolve to their property. */
function findNode(root: Node, pointer: string): Node {
  let node = root;
  let found = root;
  for (const token of pointerTokens(pointer)) {
    let next: Node | undefined;
    if (node.type === 'object') {
      const property = node.children?.find((p) => p.children?.[0]?.value === token);
      if (property === undefined) break;
      found = property;
      next = property.children?.[1];
    } else if (node.type === 'array' && /^\d+$/.test(token)) {
      next = node.children?.[Number(token)];
      if (next !== undefined) found = next;
    }
    if (next === undefined) break;
    node = next;
  }
  return found;
}

/**
 * A locator over `text`. `shift` is added to offsets of `parsedText` (a text the tree was built from that starts
 * `shift` characters later, e.g. after a byte order mark).
 */
export function textLocator(text: string, shift = 0): (pointer: string) => Location {
  let state: { tree: Node | undefined; lines: LineIndex; cache: Map<string, Location> } | undefined;
  return (pointer) => {
    if (state === undefined) {
      let tree: Node | undefined;
      try {
        tree = parseTree(shift === 0 ? text : text.slice(shift)) ?? undefined;
      } catch {
        tree = undefined; // e.g. nesting too deep for the recursive tree builder
      }
      state = { tree, lines: new LineIndex(text), cache: new Map() };
    }
    const cached = state.cache.get(pointer);
    if (cached !== undefined) return cached;
    const location: Location =
      state.tree === undefined
        ? { pointer }
        : { pointer, ...state.lines.position(findNode(state.tree, pointer).offset + shift) };
    state.cache.set(pointer, location);
    return location;
  };
}
