import fc from 'fast-check';
import { validPolicy } from './arbitraries';

/**
 * Generators of broken policies for the fuzz test and the 100k fuzz script: valid policies mutated (wrong types,
 * missing or unknown elements, unknown operators, deep nesting, huge and hostile strings) and broken JSON text.
 */

/** Deep nesting built without recursion (fast-check's and JSON.stringify's stacks stay small). */
export function deepValue(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

export function deepText(depth: number, kind: 'array' | 'object', close: boolean): string {
  const open = kind === 'array' ? '['.repeat(depth) : '{"a":'.repeat(depth);
  const end = kind === 'array' ? ']'.repeat(depth) : '}'.repeat(depth);
  return `{"Statement": ${open}1${close ? end : ''}}`;
}

const hostileString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'toString',
    '\uD800',
    '\u0000',
    '${',
    '${aws:',
    '{{',
    '*'.repeat(50),
    '\u202E',
  ),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

/** A junk JSON value to put where something else belongs. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  hostileString,
  fc.constant({}),
  fc.constant([]),
  fc.array(fc.oneof(fc.integer(), fc.constant(null), fc.string({ maxLength: 5 })), { maxLength: 3 }),
  fc.dictionary(hostileString, fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxKeys: 3 }),
  fc
    .tuple(fc.integer({ min: 1, max: 2000 }), fc.constantFrom('array' as const, 'object' as const))
    .map(([d, k]) => deepValue(d, k)),
);

const keyTypos = fc.constantFrom(
  'effect',
  'Actions',
  'Principals',
  'StringEqual',
  'ForAnyValue:Null',
  'NullIfExists',
  'ForSomeValues:StringEquals',
  'AWS ',
  'aws',
  '__proto__',
  '',
);

type Path = (string | number)[];

function allPaths(value: unknown, limit = 400): Path[] {
  const out: Path[] = [[]];
  const stack: [unknown, Path][] = [[value, []]];
  while (stack.length > 0 && out.length < limit) {
    const [v, path] = stack.pop()!;
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        out.push([...path, i]);
        stack.push([item, [...path, i]]);
      });
    } else if (typeof v === 'object' && v !== null) {
      for (const key of Object.keys(v)) {
        out.push([...path, key]);
        stack.push([(v as Record<string, unknown>)[key], [...path, key]]);
      }
    }
  }
  return out;
}

type Mutation =
  | { kind: 'replace'; junk: unknown }
  | { kind: 'delete' }
  | { kind: 'addKey'; key: string; junk: unknown }
  | { kind: 'renameKey'; key: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  junkValue.map((junk) => ({ kind: 'replace' as const, junk })),
  fc.constant({ kind: 'delete' as const }),
  fc.tuple(fc.oneof(keyTypos, hostileString), junkValue).map(([key, junk]) => ({ kind: 'addKey' as const, key, junk })),
  keyTypos.map((key) => ({ kind: 'renameKey' as const, key })),
);

function applyMutation(root: unknown, path: Path, m: Mutation): unknown {
  if (path.length === 0) {
    if (m.kind === 'replace') return m.junk;
    if (m.kind === 'addKey' && typeof root === 'object' && root !== null && !Array.isArray(root)) {
      Object.defineProperty(root, m.key, { value: m.junk, enumerable: true, writable: true, configurable: true });
    }
    return root;
  }
  let parent = root as Record<string | number, unknown>;
  for (const token of path.slice(0, -1)) parent = parent[token] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  switch (m.kind) {
    case 'replace':
      parent[last] = m.junk;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
      break;
    case 'addKey': {
      const target = parent[last];
      if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
        Object.defineProperty(target, m.key, { value: m.junk, enumerable: true, writable: true, configurable: true });
      } else {
        parent[last] = m.junk;
      }
      break;
    }
    case 'renameKey':
      if (!Array.isArray(parent) && typeof last === 'string') {
        const value = parent[last];
        delete parent[last];
        Object.defineProperty(parent, m.key, { value, enumerable: true, writable: true, configurable: true });
      }
      break;
  }
  return root;
}

/** A valid policy broken by one to three mutations (it may stay valid). */
export const mutatedPolicy: fc.Arbitrary<unknown> = validPolicy.chain((policy) =>
  fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 3 }).map((mutations) => {
    let doc: unknown = structuredClone(policy);
    for (const [pick, m] of mutations) {
      const paths = allPaths(doc);
      doc = applyMutation(doc, paths[pick % paths.length]!, m);
    }
    return doc;
  }),
);

/** Policy text: valid JSON of a (maybe mutated) policy, corrupted text, deep nesting or junk. */
export const policyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: validPolicy.map((p) => JSON.stringify(p, null, 2)) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        validPolicy,
        fc.nat(),
        fc.constantFrom('truncate', 'insert', 'delete', 'quote'),
        fc.constantFrom(',', '}', ']', '"', "'", '/', '\u0001', 'x', '\\'),
      )
      .map(([p, at, how, ch]) => {
        const text = JSON.stringify(p, null, 1);
        const i = at % (text.length + 1);
        switch (how) {
          case 'truncate':
            return text.slice(0, i);
          case 'insert':
            return text.slice(0, i) + ch + text.slice(i);
          case 'delete':
            return text.slice(0, i) + text.slice(i + 1);
          default:
            return text.replace('"', "'");
        }
      }),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 10_000 }), fc.constantFrom('array' as const, 'object' as const), fc.boolean())
      .map(([depth, kind, close]) => deepText(depth, kind, close)),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
);
