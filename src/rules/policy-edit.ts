/**
 * Small, narrowing edits of a key policy document for remediation. Every edit returns a new document; none adds a
 * principal or an action (a test checks that a fixed policy never grants more than the original).
 */
import type { PolicyDocument } from '../policy/types';

type Json = Record<string, unknown>;

/**
 * A deep copy of a document. Documents are JSON data: arrays and plain objects are copied directly (much faster than
 * structuredClone); anything else, or a value reached twice, gets structuredClone's exact semantics.
 */
function clone(doc: PolicyDocument): PolicyDocument {
  const seen = new Set<object>();
  return (isPlainTree(doc, seen) ? copyTree(doc) : structuredClone(doc)) as PolicyDocument;
}

/** Only arrays, plain objects and primitives, no value reached twice. */
function isPlainTree(value: unknown, seen: Set<object>): boolean {
  if (typeof value !== 'object' || value === null) return typeof value !== 'function' && typeof value !== 'symbol';
  if (seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (const item of value) if (!isPlainTree(item, seen)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key of Object.keys(value)) if (!isPlainTree((value as Json)[key], seen)) return false;
  return true;
}

function copyTree(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyTree);
  const out: Json = {};
  for (const key of Object.keys(value)) out[key] = copyTree((value as Json)[key]);
  return out;
}

/** The statements array of a document, with a function mapping a statement pointer to its index. */
function statementsOf(doc: PolicyDocument): { list: Json[]; single: boolean } {
  if (Array.isArray(doc.Statement)) return { list: doc.Statement as Json[], single: false };
  return { list: [doc.Statement as Json], single: true };
}

function indexOf(pointer: string): number {
  const m = /^\/Statement(?:\/(\d+))?$/.exec(pointer);
  return m ? Number(m[1] ?? 0) : -1;
}

function write(doc: PolicyDocument, list: Json[], single: boolean): PolicyDocument {
  doc.Statement = single && list.length === 1 ? list[0] : list;
  return doc;
}

/** Removes the statements at these pointers. */
export function removeStatements(document: PolicyDocument, pointers: string[]): PolicyDocument {
  const doc = clone(document);
  const { list } = statementsOf(doc);
  const drop = new Set(pointers.map(indexOf));
  return write(
    doc,
    list.filter((_, i) => !drop.has(i)),
    false,
  );
}

/** Adds a condition to the statement at `pointer` (AND-ed with what it has: always narrower). */
export function addCondition(
  document: PolicyDocument,
  pointer: string,
  operator: string,
  key: string,
  value: string | string[],
): PolicyDocument {
  const doc = clone(document);
  const { list, single } = statementsOf(doc);
  const s = list[indexOf(pointer)];
  if (!s) return doc;
  const condition = (s.Condition ?? {}) as Record<string, Record<string, unknown>>;
  const block = condition[operator] ?? {};
  const existing = Object.keys(block).find((k) => k.toLowerCase() === key.toLowerCase());
  if (existing === undefined) block[key] = value;
  condition[operator] = block;
  s.Condition = condition;
  return write(doc, list, single);
}

/** Removes principal entries (AWS) from a statement; a statement left without principals is removed. */
export function removePrincipals(
  document: PolicyDocument,
  pointer: string,
  entries: (entry: string) => boolean,
): PolicyDocument {
  const doc = clone(document);
  const { list, single } = statementsOf(doc);
  const i = indexOf(pointer);
  const s = list[i];
  if (!s || typeof s.Principal !== 'object' || s.Principal === null) return doc;
  const principal = s.Principal as Record<string, unknown>;
  const aws = principal.AWS;
  const kept = (Array.isArray(aws) ? aws : [aws]).filter((e) => typeof e === 'string' && !entries(e));
  if (kept.length > 0) principal.AWS = kept.length === 1 ? kept[0] : kept;
  else delete principal.AWS;
  if (Object.keys(principal).length === 0)
    return write(
      doc,
      list.filter((_, j) => j !== i),
      false,
    );
  return write(doc, list, single);
}

/** Removes values from a condition key's value list; a condition left without values removes the statement. */
export function removeConditionValues(
  document: PolicyDocument,
  pointer: string,
  key: string,
  drop: (value: string) => boolean,
): PolicyDocument {
  const doc = clone(document);
  const { list, single } = statementsOf(doc);
  const i = indexOf(pointer);
  const s = list[i];
  if (!s || typeof s.Condition !== 'object' || s.Condition === null) return doc;
  for (const block of Object.values(s.Condition as Record<string, Record<string, unknown>>)) {
    for (const k of Object.keys(block)) {
      if (k.toLowerCase() !== key.toLowerCase()) continue;
      const values = (Array.isArray(block[k]) ? (block[k] as unknown[]) : [block[k]]).filter((v) => !drop(String(v)));
      if (values.length === 0)
        return write(
          doc,
          list.filter((_, j) => j !== i),
          false,
        );
      block[k] = values.length === 1 ? values[0] : values;
    }
  }
  return write(doc, list, single);
}

/** Replaces a statement's Action (or NotAction) with an explicit, narrower list. */
export function replaceActions(document: PolicyDocument, pointer: string, actions: string[]): PolicyDocument {
  const doc = clone(document);
  const { list, single } = statementsOf(doc);
  const s = list[indexOf(pointer)];
  if (!s) return doc;
  delete s.NotAction;
  s.Action = actions.length === 1 ? actions[0] : actions;
  return write(doc, list, single);
}
