/** keywarden.yaml errors name the line, the column and the path of each problem, and say how to fix it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText, toAnalysisOptions, withTrustFlags } from '../../src/config';

const bad = (name: string) => {
  const result = parseConfigText(readFileSync(join(import.meta.dirname, 'bad', name), 'utf8'));
  if (result.ok) throw new Error(`${name} was accepted`);
  return result.errors.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`);
};

describe('errors with line, column and path', () => {
  it('wrong types and values', () => {
    expect(bad('wrong-types.yaml')).toEqual([
      '5:7 trusted.accounts[1]: not a 12-digit AWS account id: 12345 (write ids in quotes, "012345678901", so leading zeros survive)',
      '7:17 administrators: expected array, received string',
      '9:13 keys.disabled: expected one of "report", "fail", "not-applicable"',
    ]);
  });

  it('a suppression without an owner, and one with a bad id and date', () => {
    expect(bad('suppression-without-owner.yaml')).toEqual([
      '2:5 suppressions[0].owner: missing: who renews or removes this suppression',
      '6:9 suppressions[1].id: a finding id looks like KW- and 20 hex digits (see the report)',
      '9:14 suppressions[1].expires: expires must be a date, YYYY-MM-DD (the end of that day, UTC), or an ISO date-time',
    ]);
  });

  it('misspelt keys and rule ids, with a suggestion', () => {
    const errors = bad('unknown-keys.yaml');
    expect(errors[0]).toBe(
      '2:3 trusted.acounts: trusted does not take "acounts" (did you mean "accounts"?); it takes accounts, organizations, orgPaths',
    );
    expect(errors[1]).toMatch(
      /^4:5 exemptions\[0\]\.alais: exemptions\[0\] does not take "alais" \(did you mean "alias"\?\)/,
    );
    expect(errors[2]).toBe('4:5 exemptions[0]: an exemption needs at least one of alias, tag or keyId');
    expect(errors[3]).toMatch(
      /^6:3 rules\.seperation-of-duties: unknown rule "seperation-of-duties" \(did you mean "separation-of-duties"\?\); known rules: public-key, /,
    );
    expect(errors[4]).toMatch(/^10:5 rules\.public-key\.parms: .*did you mean "params"/);
    expect(errors).toHaveLength(5);
  });

  it('YAML syntax errors', () => {
    const errors = bad('not-yaml.txt');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^\d+:\d+ : not valid YAML: /);
  });

  it('a file that is not a mapping', () => {
    expect(parseConfigText('- a\n- b\n')).toEqual({
      ok: false,
      errors: [{ message: 'keywarden.yaml must be a mapping of settings (key: value)', path: '', line: 1, column: 1 }],
    });
  });

  it('duplicate keys', () => {
    const result = parseConfigText('administrators: []\nadministrators: [x]\n');
    expect(result.ok).toBe(false);
  });
});

describe('a valid file', () => {
  const text = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'keywarden.yaml'), 'utf8');

  it('the commented example parses', () => {
    const result = parseConfigText(text);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.config.exemptions.length).toBeGreaterThan(0);
    expect(result.config.suppressions.length).toBeGreaterThan(0);
  });

  it('an empty file is the defaults', () => {
    const result = parseConfigText('');
    if (!result.ok) throw new Error('rejected');
    expect(toAnalysisOptions(result.config, new Date('2026-01-01T00:00:00Z'))).toEqual({
      trusted: { accounts: [], organizations: [], orgPaths: [] },
      rules: {
        'exempt-key': { params: { exemptions: [] } },
        'admin-allowlist': { params: { administrators: [], keyUsers: [] } },
      },
      suppressions: [],
      now: '2026-01-01T00:00:00.000Z',
      disabledKeys: 'report',
    });
  });

  it('unquoted 12-digit account ids are read as ids', () => {
    const result = parseConfigText('trusted:\n  accounts: [444455556666]\n');
    if (!result.ok) throw new Error('rejected');
    expect(toAnalysisOptions(result.config, new Date()).trusted.accounts).toEqual(['444455556666']);
  });

  it('the --trusted-account / --trusted-org flags add to the file (merge)', () => {
    const result = parseConfigText('trusted:\n  accounts: ["444455556666"]\n  organizations: [o-a1b2c3d4e5]\n');
    if (!result.ok) throw new Error('rejected');
    const merged = withTrustFlags(toAnalysisOptions(result.config, new Date()), {
      accounts: ['444455556666', '777788889999'],
      organizations: ['o-zzzzzzzzzz'],
    });
    expect(merged.trusted).toEqual({
      accounts: ['444455556666', '777788889999'],
      organizations: ['o-a1b2c3d4e5', 'o-zzzzzzzzzz'],
      orgPaths: [],
    });
  });
});
