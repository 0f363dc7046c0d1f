/** Shared helpers for the IaC reader tests. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTemplate } from '../../src/sources/iac';
import type { TemplateKey, TemplateReadOptions, TemplateReadResult } from '../../src/sources/iac/types';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export async function read(text: string, name = 'template.yaml', options: TemplateReadOptions = {}) {
  return readTemplate(text, name, options);
}

export function keyNamed(result: TemplateReadResult, id: string): TemplateKey {
  const key = result.keys.find((k) => k.logicalId === id);
  if (!key) throw new Error(`no key ${id} in ${result.keys.map((k) => k.logicalId).join(', ')}`);
  return key;
}

/** The resolved value of a property in a one-key template: Properties.KeyPolicy.Statement[0].Resource. */
export async function resolvedResource(value: string, extra = '', options: TemplateReadOptions = {}) {
  const text = `${extra}
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: {AWS: '*'}
            Action: kms:Decrypt
            Resource: ${value}
`;
  const result = await read(text, 'template.yaml', options);
  const policy = keyNamed(result, 'Key').policy as { Statement: Array<{ Resource: unknown }> };
  return { value: policy.Statement[0]?.Resource, result };
}
