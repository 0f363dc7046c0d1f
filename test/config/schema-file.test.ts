import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configJsonSchema, configJsonSchemaText } from '../../src/config';

const ROOT = join(import.meta.dirname, '..', '..');

describe('schemas/keywarden-config.schema.json', () => {
  it('is generated from the zod schema and current (npx tsx -e "...configJsonSchemaText()" or keywarden config schema -o)', () => {
    expect(readFileSync(join(ROOT, 'schemas', 'keywarden-config.schema.json'), 'utf8')).toBe(configJsonSchemaText());
  });

  it('accepts the example file and rejects a misspelt key, as the loader does', () => {
    const validate = new Ajv2020({ strict: false }).compile(configJsonSchema());
    expect(validate(parse(readFileSync(join(ROOT, 'examples', 'keywarden.yaml'), 'utf8')))).toBe(true);
    expect(validate({ trusted: { acounts: [] } })).toBe(false);
    expect(validate({ rules: { 'separation-of-duties': { severity: 'urgent' } } })).toBe(false);
  });

  it('describes every rule under rules', () => {
    const rules = (configJsonSchema().properties as Record<string, { properties: Record<string, unknown> }>).rules!;
    expect(Object.keys(rules.properties)).toContain('admin-allowlist');
    expect(Object.keys(rules.properties)).toContain('suppression-expired');
  });
});
