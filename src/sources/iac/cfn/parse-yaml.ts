/**
 * CloudFormation YAML -> plain value with long-form intrinsics (`!Sub x` becomes `{ "Fn::Sub": x }`), and the
 * line/column of every JSON pointer. Unknown `!Tags` are located errors; the node becomes a symbolic string.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { ParsedSource, SourceError } from '../parsed-source';
import { childPointer } from '../pointer';
import { PositionMap } from '../positions';
import { SHORT_TAGS } from './tags';

const MAX_DEPTH = 400;
const MAX_NODES = 3_000_000;
const MAX_ALIAS_EXPANSIONS = 10_000;

const customTags = Object.keys(SHORT_TAGS).flatMap((tag) => [
  { tag, resolve: (value: string) => value },
  { tag, collection: 'seq' as const, resolve: <T>(value: T) => value },
  { tag, collection: 'map' as const, resolve: <T>(value: T) => value },
]);

class Limit extends Error {}

export function parseYamlTemplate(text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const positions = new PositionMap();
  const problems: SourceError[] = [];
  const doc = parseDocument(text, { lineCounter, customTags, uniqueKeys: false, prettyErrors: false });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const errors: SourceError[] = doc.errors.map((e) => ({
    message: /call stack/i.test(e.message)
      ? 'the template nests too deeply to read'
      : `invalid YAML: ${firstLine(e.message)}`,
    ...at(e.pos[0]),
  }));
  if (errors.length > 0) return { value: undefined, positions, errors, problems };
  /** Where a node starts, including its tag (`- !Sub x` starts at `!Sub`, not at `x`). */
  const nodeStart = (node: Node): number => {
    const start = node.range?.[0] ?? 0;
    if (!node.tag) return start;
    const tagAt = text.lastIndexOf(node.tag, start);
    return tagAt >= 0 && start - tagAt <= node.tag.length + 16 ? tagAt : start;
  };
  let nodes = 0;
  let aliases = 0;

  const walk = (node: Node | null | undefined, pointer: string, depth: number, start?: number): unknown => {
    if (++nodes > MAX_NODES) throw new Limit(`the template has more than ${MAX_NODES} YAML nodes`);
    if (depth > MAX_DEPTH) throw new Limit(`the template nests deeper than ${MAX_DEPTH} levels at ${pointer}`);
    if (node === null || node === undefined) return null;
    if (start !== undefined || node.range) positions.set(pointer, at(start ?? nodeStart(node)));
    if (isAlias(node)) {
      if (++aliases > MAX_ALIAS_EXPANSIONS) throw new Limit('the template expands too many YAML aliases');
      const target = node.resolve(doc as Document);
      if (!target) return null;
      return walk(target, pointer, depth + 1);
    }
    const tag = node.tag;
    if (tag?.startsWith('!') && !tag.startsWith('!!')) {
      const fn = SHORT_TAGS[tag];
      if (!fn) {
        const where = node.range ? at(node.range[0]) : undefined;
        problems.push({
          message: `unknown tag ${tag}: CloudFormation has no such intrinsic function (known: ${Object.keys(SHORT_TAGS).join(', ')})`,
          ...where,
          pointer,
        });
        return `{{${tag}}}`;
      }
      return { [fn]: plain(node, childPointer(pointer, fn), depth + 1, nodeStart(node)) };
    }
    return plain(node, pointer, depth, undefined);
  };

  const plain = (node: Node, pointer: string, depth: number, start: number | undefined): unknown => {
    if (start !== undefined) positions.set(pointer, at(start));
    if (isScalar(node)) {
      const value = node.value;
      if (typeof value === 'number' && typeof node.source === 'string' && /^[+-]?0\d/.test(node.source)) {
        return node.source; // keep leading zeros (account ids)
      }
      if (typeof value === 'bigint') return node.source ?? String(value);
      return value ?? null;
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const child = childPointer(pointer, key);
        const keyStart = (pair.key as Node | null)?.range?.[0];
        if (Object.hasOwn(out, key)) {
          problems.push({
            message: `duplicate key ${key}: CloudFormation tools reject it or keep only the last one; remove one of them`,
            ...(keyStart !== undefined ? at(keyStart) : {}),
            pointer: child,
          });
        }
        if (keyStart !== undefined) positions.set(child, at(keyStart));
        out[key] = walk(pair.value as Node | null, child, depth + 1);
      }
      return out;
    }
    if (isSeq(node)) {
      return node.items.map((item, index) => walk(item as Node | null, childPointer(pointer, index), depth + 1));
    }
    return null;
  };

  try {
    positions.set('', { line: 1, column: 1 });
    const value = walk(doc.contents as Node | null, '', 0);
    return { value, positions, errors, problems };
  } catch (error) {
    if (error instanceof Limit) return { value: undefined, positions, errors: [{ message: error.message }], problems };
    if (error instanceof RangeError) {
      return { value: undefined, positions, errors: [{ message: 'the template nests too deeply to read' }], problems };
    }
    throw error;
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
