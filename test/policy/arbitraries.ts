// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are literal ${...} text
import fc from 'fast-check';

/**
 * fast-check generators of key policies: valid ones covering the whole grammar, and mutations that break them
 * (wrong types, missing or unknown elements, unknown operators, deep nesting, huge and hostile strings, broken JSON
 * text). Shared by the fuzz test, the 100k fuzz script and the benchmarks.
 */

export const ACCOUNTS = ['111122223333', '444455556666', '999988887777'] as const;
const account = fc.constantFrom(...ACCOUNTS);
const partition = fc.constantFrom('aws', 'aws', 'aws', 'aws-cn', 'aws-us-gov');

const awsEntry = fc.oneof(
  account,
  fc.tuple(partition, account).map(([p, a]) => `arn:${p}:iam::${a}:root`),
  fc.tuple(account, fc.constantFrom('alice', 'bob', 'dev/carol')).map(([a, u]) => `arn:aws:iam::${a}:user/${u}`),
  fc.tuple(account, fc.constantFrom('Admin', 'App', 'ops/Deploy')).map(([a, r]) => `arn:aws:iam::${a}:role/${r}`),
  fc.tuple(account, fc.constantFrom('Admin', 'App')).map(([a, r]) => `arn:aws:sts::${a}:assumed-role/${r}/s1`),
  fc.constant('*'),
  fc.constant('arn:aws:iam::{{AWS::AccountId}}:root'),
);

const service = fc.constantFrom('cloudtrail.amazonaws.com', 'logs.us-east-1.amazonaws.com', 'rds.amazonaws.com.cn');

export function oneOrMany<T>(arb: fc.Arbitrary<T>, max = 3): fc.Arbitrary<T | T[]> {
  return fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: max }));
}

const principal = fc.oneof(
  fc.constant('*' as unknown),
  fc.record({ AWS: oneOrMany(awsEntry) }),
  fc.record({ Service: oneOrMany(service) }),
  fc.record({ AWS: oneOrMany(awsEntry), Service: oneOrMany(service) }, { requiredKeys: ['AWS'] }),
  fc.record({ Federated: fc.constant('cognito-identity.amazonaws.com') }),
  fc.record({ CanonicalUser: fc.constant('79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be') }),
);

export const KMS_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:ReEncryptFrom',
  'kms:GenerateDataKey',
  'kms:CreateGrant',
  'kms:DescribeKey',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
] as const;

const actionPattern = fc.oneof(
  fc.constantFrom(...KMS_ACTIONS),
  fc.constantFrom('kms:*', '*', 'kms:Create*', 'kms:GenerateDataKey*', 'kms:?ecrypt', 'kms:Re*', 'KMS:decrypt'),
);

const resource = fc.constantFrom('*', 'arn:aws:kms:*:111122223333:key/*', '{{Ref:Key}}');

/** Condition keys and values by operator family (values of the right type). */
const conditionByFamily: Record<string, fc.Arbitrary<[string, unknown]>> = {
  String: fc.tuple(
    fc.constantFrom('kms:ViaService', 'aws:PrincipalOrgID', 'kms:EncryptionContext:Department', 'aws:username'),
    oneOrMany(
      fc.constantFrom('s3.us-east-1.amazonaws.com', 'o-abc123', 'Finance', '*.amazonaws.com', '${aws:username}'),
    ),
  ),
  Numeric: fc.tuple(
    fc.constant('test:count'),
    oneOrMany(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant('2.5'))),
  ),
  Date: fc.tuple(fc.constant('aws:CurrentTime'), oneOrMany(fc.constantFrom('2024-05-01T00:00:00Z', '1714521600'))),
  Bool: fc.tuple(
    fc.constantFrom('aws:SecureTransport', 'kms:GrantIsForAWSResource'),
    fc.oneof(fc.boolean(), fc.constant('true')),
  ),
  Binary: fc.tuple(fc.constant('test:bin'), fc.constant('QmluYXJ5VmFsdWU=')),
  IpAddress: fc.tuple(
    fc.constant('aws:SourceIp'),
    oneOrMany(fc.constantFrom('203.0.113.0/24', '2001:db8::/32', '198.51.100.7')),
  ),
  Arn: fc.tuple(
    fc.constant('aws:PrincipalArn'),
    oneOrMany(fc.constantFrom('arn:aws:iam::111122223333:role/*', 'arn:aws:iam::*:role/Admin')),
  ),
  Null: fc.tuple(
    fc.constantFrom('kms:EncryptionContextKeys', 'aws:SourceVpce'),
    fc.constantFrom('true', 'false', true),
  ),
};

const OPERATORS: [string, string][] = [
  ['StringEquals', 'String'],
  ['StringNotEquals', 'String'],
  ['StringEqualsIgnoreCase', 'String'],
  ['StringNotEqualsIgnoreCase', 'String'],
  ['StringLike', 'String'],
  ['StringNotLike', 'String'],
  ['NumericEquals', 'Numeric'],
  ['NumericNotEquals', 'Numeric'],
  ['NumericLessThan', 'Numeric'],
  ['NumericGreaterThanEquals', 'Numeric'],
  ['DateEquals', 'Date'],
  ['DateLessThan', 'Date'],
  ['DateGreaterThan', 'Date'],
  ['Bool', 'Bool'],
  ['BinaryEquals', 'Binary'],
  ['IpAddress', 'IpAddress'],
  ['NotIpAddress', 'IpAddress'],
  ['ArnEquals', 'Arn'],
  ['ArnLike', 'Arn'],
  ['ArnNotLike', 'Arn'],
  ['Null', 'Null'],
];

const conditionEntry = fc
  .tuple(fc.constantFrom(...OPERATORS), fc.constantFrom('', 'ForAnyValue:', 'ForAllValues:'), fc.boolean())
  .chain(([[name, family], qualifier, ifExists]) => {
    const operator = family === 'Null' ? name : `${qualifier}${name}${ifExists ? 'IfExists' : ''}`;
    return conditionByFamily[family]!.map(([key, value]) => [operator, { [key]: value }] as const);
  });

const conditionBlock = fc
  .array(conditionEntry, { minLength: 1, maxLength: 3 })
  .map((entries) => Object.fromEntries(entries));

/** A valid statement: every element form the grammar allows. */
export const validStatement = fc
  .record(
    {
      Sid: fc.constantFrom('Root', 'Enable IAM User Permissions', 'Use', 'Endgame'),
      Effect: fc.constantFrom('Allow', 'Deny'),
      principalKind: fc.constantFrom('Principal', 'Principal', 'Principal', 'NotPrincipal'),
      principal,
      actionKind: fc.constantFrom('Action', 'Action', 'Action', 'NotAction'),
      actions: oneOrMany(actionPattern),
      resourceKind: fc.constantFrom('Resource', 'Resource', 'NotResource'),
      resource: oneOrMany(resource, 2),
      Condition: conditionBlock,
    },
    { requiredKeys: ['Effect', 'principalKind', 'principal', 'actionKind', 'actions', 'resourceKind', 'resource'] },
  )
  .map(({ principalKind, principal: p, actionKind, actions, resourceKind, resource: r, ...rest }) => ({
    ...rest,
    [principalKind]: p,
    [actionKind]: actions,
    [resourceKind]: r,
  }));

/** A valid key policy document. */
export const validPolicy = fc
  .record(
    {
      Version: fc.constantFrom('2012-10-17', '2008-10-17'),
      Id: fc.constant('key-policy'),
      Statement: fc.oneof(validStatement, fc.array(validStatement, { minLength: 0, maxLength: 5 })),
    },
    { requiredKeys: ['Statement'] },
  )
  .map((p) => p as Record<string, unknown>);

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
