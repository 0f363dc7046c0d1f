// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are literal ${...} text
import fc from 'fast-check';
import type { ContextValue, Decision, Request } from '../../src/policy/types';
import { KEYS, OPERATORS, OTHER, OWN } from './differential-keys';

export { OTHER, OWN };

/**
 * Key policies and requests over what both keywarden and @cloud-copilot/iam-simulate model, for the differential
 * test and the evaluation benchmark. Shapes the two engines treat differently on purpose are left out here (each is
 * pinned by a test in differential.test.ts and described in docs/policy-engine.md): Deny with NotPrincipal,
 * IfExists combined with ForAnyValue/ForAllValues, dates mixing ISO 8601 and epoch values, kms:EncryptionContext:<key>
 * (iam-simulate ignores it), malformed numbers, partitions other than aws, bare IP addresses against a caller of the
 * other address family, and Version 2008-10-17 policies with `${...}` text.
 */

export const KEY_ARN = `arn:aws:kms:us-east-1:${OWN}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export const CALLERS = [
  `arn:aws:iam::${OWN}:user/alice`,
  `arn:aws:iam::${OWN}:user/bob`,
  `arn:aws:sts::${OWN}:assumed-role/Admin/s1`,
  `arn:aws:sts::${OWN}:assumed-role/App/s2`,
  `arn:aws:iam::${OWN}:root`,
  `arn:aws:iam::${OWN}:role/Admin`,
  `arn:aws:iam::${OTHER}:user/eve`,
  `arn:aws:sts::${OTHER}:assumed-role/Partner/p1`,
  'cloudtrail.amazonaws.com',
  '*',
];

const ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:CreateGrant',
  'kms:DescribeKey',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
];
const ACTIONS_WITH_CONTEXT_KEYS = new Set(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:CreateGrant']);

const ACTION_PATTERNS = [
  ...ACTIONS,
  'kms:*',
  '*',
  'kms:Create*',
  'kms:GenerateDataKey*',
  'kms:?ecrypt',
  'kms:Describe*',
  'KMS:decrypt',
];

const PRINCIPAL_ENTRIES = [
  OWN,
  `arn:aws:iam::${OWN}:root`,
  `arn:aws:iam::${OTHER}:root`,
  `arn:aws:iam::${OWN}:user/alice`,
  `arn:aws:iam::${OWN}:user/carol`,
  `arn:aws:iam::${OWN}:role/Admin`,
  `arn:aws:iam::${OWN}:role/ops/App`,
  `arn:aws:iam::${OTHER}:role/Partner`,
  `arn:aws:sts::${OWN}:assumed-role/App/s2`,
  '*',
];

const RESOURCES = ['*', KEY_ARN, `arn:aws:kms:*:${OWN}:key/*`, `arn:aws:kms:us-east-1:${OWN}:key/other`];

const someOf = <T>(items: readonly T[], max = 2) =>
  fc.subarray([...items], { minLength: 1, maxLength: Math.min(max, items.length) });
const oneOrMany = <T>(items: readonly T[], max = 3): fc.Arbitrary<T | T[]> =>
  fc.oneof(fc.constantFrom(...items), someOf(items, max));

const condition: fc.Arbitrary<[string, string, string | string[]]> = fc
  .constantFrom(...KEYS)
  .chain((model) =>
    fc.tuple(
      fc
        .constantFrom(...model.families)
        .chain((family) =>
          fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom(...OPERATORS[family]) },
            { weight: 1, arbitrary: fc.constant('Null') },
          ),
        ),
      model.multi
        ? fc.constantFrom('', 'ForAnyValue:', 'ForAllValues:', 'ForAllValues:')
        : fc.constantFrom('', '', '', 'ForAnyValue:', 'ForAllValues:'),
      fc.boolean(),
      oneOrMany(model.policyValues),
      fc.constantFrom('true', 'false'),
      fc.constant(model.key),
    ),
  )
  .map(([operator, qualifier, ifExists, values, nullValue, key]) => {
    if (operator === 'Null') return ['Null', key, nullValue];
    // IfExists only without a set operator (see the module comment).
    const name = qualifier === '' ? `${operator}${ifExists ? 'IfExists' : ''}` : `${qualifier}${operator}`;
    return [name, key, values];
  });

const conditionBlock = fc.array(condition, { minLength: 1, maxLength: 3 }).map((entries) => {
  const block: Record<string, Record<string, string | string[]>> = {};
  for (const [operator, key, values] of entries) {
    block[operator] = { ...block[operator], [key]: values };
  }
  return block;
});

const statement = fc
  .record(
    {
      Sid: fc.constantFrom('S1', 'S2', 'S3'),
      Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
      principal: fc.oneof(
        { weight: 1, arbitrary: fc.constant<unknown>('*') },
        { weight: 4, arbitrary: oneOrMany(PRINCIPAL_ENTRIES).map((aws) => ({ AWS: aws })) },
        { weight: 1, arbitrary: fc.constant({ Service: 'cloudtrail.amazonaws.com' }) },
      ),
      notPrincipal: fc.constantFrom(false, false, false, true),
      notAction: fc.constantFrom(false, false, false, true),
      actions: oneOrMany(ACTION_PATTERNS),
      resource: fc.constantFrom(...RESOURCES),
      Condition: conditionBlock,
    },
    { requiredKeys: ['Sid', 'Effect', 'principal', 'notPrincipal', 'notAction', 'actions', 'resource'] },
  )
  .map(({ principal, notPrincipal, notAction, actions, resource, ...rest }) => {
    const s: Record<string, unknown> = { ...rest, Resource: resource };
    // NotPrincipal only with Allow (Deny + NotPrincipal is a known difference).
    s[notPrincipal && rest.Effect === 'Allow' && principal !== '*' ? 'NotPrincipal' : 'Principal'] = principal;
    s[notAction ? 'NotAction' : 'Action'] = actions;
    return s;
  });

export const keyPolicy = fc
  .array(statement, { minLength: 1, maxLength: 4 })
  .map(
    (statements) =>
      ({ Version: '2012-10-17', Statement: statements }) as { Version: string; Statement: Record<string, unknown>[] },
  );

export const request: fc.Arbitrary<Request> = fc
  .record({
    principal: fc.constantFrom(...CALLERS),
    action: fc.constantFrom(...ACTIONS),
    present: fc.array(fc.boolean(), { minLength: KEYS.length, maxLength: KEYS.length }),
    picks: fc.array(fc.nat(), { minLength: KEYS.length, maxLength: KEYS.length }),
    sets: fc.array(fc.subarray([0, 1, 2, 3]), { minLength: KEYS.length, maxLength: KEYS.length }),
  })
  .map(({ principal, action, present, picks, sets }) => {
    const context: Record<string, ContextValue> = {};
    KEYS.forEach((model, i) => {
      if (!present[i]) return;
      if (model.key === 'kms:EncryptionContextKeys' && !ACTIONS_WITH_CONTEXT_KEYS.has(action)) return;
      const values = model.requestValues;
      context[model.key] = model.multi
        ? sets[i]!.filter((n) => n < values.length).map((n) => values[n]!)
        : values[picks[i]! % values.length]!;
    });
    return { principal, action, resource: KEY_ARN, context };
  });

/**
 * iam-simulate compares a bare address (`198.51.100.7`, no `/32`) as text and never matches an address of the other
 * family, not even with NotIpAddress; a CIDR block of the other family it treats as "outside". We treat a bare
 * address as the /32 (or /128) block AWS documents. Leave that combination out.
 */
function bareAddressAcrossFamilies(policy: { Statement: Record<string, unknown>[] }, req: Request): boolean {
  const ip = req.context?.['aws:SourceIp'];
  if (typeof ip !== 'string') return false;
  const requestV6 = ip.includes(':');
  return (
    JSON.stringify(policy.Statement)
      .match(/"aws:SourceIp":(\[[^\]]*\]|"[^"]*")/g)
      ?.some((entry) =>
        (entry.match(/"([^"]*)"/g) ?? [])
          .slice(1)
          .some((value) => !value.includes('/') && value.includes(':') !== requestV6),
      ) ?? false
  );
}

export const pair = fc
  .tuple(keyPolicy, request)
  .filter(([policy, req]) => !bareAddressAcrossFamilies(policy as { Statement: Record<string, unknown>[] }, req));

export type Outcome = Decision | `error: ${string}`;
