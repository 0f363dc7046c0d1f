/** Validators for the report schema (draft 2020-12) and the vendored SARIF 2.1.0 schema (draft-04, adapted in memory). */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

const schemaFile = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../schemas/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

export function reportValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile(schemaFile('report.v1.json'));
}

/**
 * ajv 8 has no draft-04 mode: the schema's draft-04 `id` becomes `$id` and `$schema` goes; every validation keyword
 * it uses (type, properties, required, enum, items, minimum, pattern, format, anyOf/oneOf, $ref) means the same in
 * draft-07. Strict mode is off because the schema puts `default` where draft-07 strict mode objects.
 */
export function sarifValidator() {
  const { $schema: _drop, id, ...rest } = schemaFile('vendor/sarif-schema-2.1.0.json');
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile({ $id: String(id), ...rest });
}
