import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { expect, it } from 'vitest';
import { keywarden, ROOT } from './run';

it('the JSON report of a real scan (demo account, bad inputs included) validates against schemas/report.v1.json', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'report.v1.json'), 'utf8')));
  const r = keywarden([
    'scan',
    'examples/demo-account',
    'test/kms/cases',
    '--format',
    'json',
    '--account',
    '111122223333',
  ]);
  const report = JSON.parse(r.stdout);
  expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  expect(report.keys.length).toBe(14);
});
