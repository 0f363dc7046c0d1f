import { describe, expect, it } from 'vitest';
import { runRuleCases, snapshotOf } from '../../../test/rules/run-cases';
import { known, unknown } from '../../kms/known';
import type { KeySnapshot } from '../../kms/snapshot';
import { describeExemption, type Exemption, exemptionOf } from './exemptions';
import { rule } from './rule';

runRuleCases(rule, import.meta.dirname);

const key = (aliases: KeySnapshot['aliases'], tags: KeySnapshot['tags'] = known({})): KeySnapshot => ({
  ...snapshotOf({
    about: 'a key',
    account: '111122223333',
    keyPolicy: { Version: '2012-10-17', Statement: [] },
    metadata: { KeyState: 'Enabled' },
    expect: [],
  }),
  aliases,
  tags,
});

describe('exemptions by alias, tag and key id', () => {
  const otter: Exemption[] = [{ alias: 'Otter-*', reason: 'owned by the Otter team' }];

  it('matches the alias name without alias/, ignoring case, over the whole name', () => {
    expect(exemptionOf(key(known(['alias/otter-payments'])), otter)).toEqual({
      entry: 'exemptions[0]',
      matched: ['alias "Otter-*" matches alias/otter-payments'],
      reason: 'owned by the Otter team',
    });
    expect(exemptionOf(key(known(['alias/team-otter-payments'])), otter)).toBeUndefined();
    expect(exemptionOf(key(known(['alias/Otter'])), otter)).toBeUndefined();
  });

  it('lets any of several aliases match (the sample looked at the first one only)', () => {
    const match = exemptionOf(key(known(['alias/billing', 'alias/shared', 'alias/Otter-Archive'])), otter);
    expect(match?.matched).toEqual(['alias "Otter-*" matches alias/Otter-Archive']);
  });

  it('accepts a pattern written with alias/', () => {
    expect(exemptionOf(key(known(['alias/Otter-1'])), [{ alias: 'alias/otter-?' }])?.entry).toBe('exemptions[0]');
  });

  it('never matches when the aliases could not be read', () => {
    expect(exemptionOf(key(unknown('ListAliases failed: AccessDeniedException')), otter)).toBeUndefined();
  });

  it('matches a tag by exact key and value glob', () => {
    const entries: Exemption[] = [{ name: 'legacy', tag: { key: 'keywarden:exempt', value: 'true' } }];
    expect(exemptionOf(key(known([]), known({ 'keywarden:exempt': 'TRUE' })), entries)?.entry).toBe('legacy');
    expect(exemptionOf(key(known([]), known({ 'Keywarden:Exempt': 'true' })), entries)).toBeUndefined();
    expect(exemptionOf(key(known([]), known({ 'keywarden:exempt': 'false' })), entries)).toBeUndefined();
    expect(
      exemptionOf(key(known([]), known({ 'keywarden:exempt': 'anything' })), [{ tag: { key: 'keywarden:exempt' } }]),
    ).toBeDefined();
  });

  it('names the first matching entry and why, as the compliance reason', () => {
    const entries: Exemption[] = [{ keyId: 'nope' }, { alias: 'Otter-*', reason: 'owned by the Otter team' }];
    const match = exemptionOf(key(known(['alias/Otter-Payments'])), entries);
    expect(describeExemption(match!)).toBe(
      'exempted by exemptions[1] (alias "Otter-*" matches alias/Otter-Payments): owned by the Otter team',
    );
  });

  it('reports the exemption as an info finding of this rule', () => {
    const snapshot = key(known(['alias/Otter-Payments']));
    const drafts = rule.check(
      { snapshot, access: {} as never, policy: undefined, grants: undefined },
      {
        trusted: { accounts: [], organizations: [], orgPaths: [] },
        params: rule.parameters.parse({ exemptions: otter }),
      },
    );
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.title).toContain('exempted by exemptions[0]');
  });
});
