/**
 * Reads every CloudFormation/SAM/Terraform file of the peer corpus (/work/shared/corpus/real, see its INDEX.md and
 * each folder's SOURCE.md): each file is either read (the keys listed in fixtures/corpus-expected.json, whose counts
 * follow the SOURCE.md tables) or rejected with a located error whose reason is written down there.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { detectTemplate, readTemplate } from '../../src/sources/iac';
import type { TemplateReadResult } from '../../src/sources/iac/types';
import { fixture, keyNamed } from './helpers';

const CORPUS = '/work/shared/corpus/real';
const present = existsSync(join(CORPUS, 'INDEX.md'));
if (!present) console.warn(`skipping the peer corpus test: ${CORPUS} is not present on this machine`);

type Expected =
  | 'not-a-template'
  | { format: string; keys: string[]; errors?: Array<{ line: number; message: string }>; why?: string };

function files(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe.skipIf(!present)('peer corpus: every template is read or rejected with a located error', async () => {
  const expected = JSON.parse(fixture('corpus-expected.json')) as Record<string, Expected>;
  const candidates = files(CORPUS)
    .filter((path) => /\.(ya?ml|json|tf|template)$/.test(path))
    .map((path) => relative(CORPUS, path))
    .sort();
  const results = new Map<string, TemplateReadResult>();
  for (const file of candidates) {
    const text = readFileSync(join(CORPUS, file), 'utf8');
    if (detectTemplate(text, file)) results.set(file, await readTemplate(text, file));
  }
  const keysUnder = (folder: string) =>
    [...results].filter(([file]) => file.startsWith(folder)).flatMap(([, result]) => result.keys);

  it('knows every candidate file of the corpus', () => {
    expect(candidates.filter((file) => !(file in expected))).toEqual([]);
    expect(Object.keys(expected).filter((file) => !candidates.includes(file))).toEqual([]);
  });

  it('detects templates and reads the expected keys, with only the expected, located errors', () => {
    for (const file of candidates) {
      const want = expected[file] as Expected;
      const result = results.get(file);
      if (want === 'not-a-template') {
        expect(result, file).toBeUndefined();
        continue;
      }
      expect(result?.format, file).toBe(want.format);
      expect(
        result?.keys.map((k) => k.logicalId),
        file,
      ).toEqual(want.keys);
      expect(
        result?.errors.map((e) => ({ line: e.line, message: e.message })),
        file,
      ).toEqual(want.errors ?? []);
      for (const error of result?.errors ?? []) expect(error.column, `${file}: ${error.message}`).toBeGreaterThan(0);
    }
  });

  it('matches the key counts of the SOURCE.md files', () => {
    // aws-samples SRA: 8 templates / 8 keys; aws-cloudformation-templates: 4 / 4; serverless-patterns: 4 / 4.
    expect(keysUnder('aws-samples__aws-security-reference-architecture-examples/')).toHaveLength(8);
    expect(keysUnder('aws-cloudformation__aws-cloudformation-templates/')).toHaveLength(4);
    expect(keysUnder('aws-samples__serverless-patterns/')).toHaveLength(4);
    // checkov CKV_AWS_33: CFN 3 flag / 2 pass, TF 5 / 5; cfn_nag: 13 templates, one key each.
    expect(
      keysUnder('bridgecrewio__checkov/tests/cloudformation/checks/resource/aws/example_KMSKeyWildCardPrincipal/'),
    ).toHaveLength(5);
    expect(
      keysUnder('bridgecrewio__checkov/tests/terraform/checks/resource/aws/example_KMSKeyWildcardPrincipal/'),
    ).toHaveLength(10);
    expect(keysUnder('stelligent__cfn_nag/')).toHaveLength(13);
  });

  it('attributes aws_kms_key_policy resources to their keys (Checkmarx positive4/5, checkov CKV2_AWS_64)', () => {
    const positive4 = results.get(
      'Checkmarx__kics/assets/queries/terraform/aws/kms_key_with_full_permissions/test/positive4.tf',
    );
    expect(keyNamed(positive4 as TemplateReadResult, 'aws_kms_key.positive4').policyLocation?.pointer).toBe(
      '/resource/aws_kms_key_policy/positive4/policy',
    );
    const positive5 = results.get(
      'Checkmarx__kics/assets/queries/terraform/aws/kms_key_with_full_permissions/test/positive5.tf',
    ) as TemplateReadResult;
    expect(keyNamed(positive5, 'aws_kms_key.positive50').policy).toBeDefined();
    expect(keyNamed(positive5, 'aws_kms_key.positive51').policy).toBeUndefined();
    const graph = results.get(
      'bridgecrewio__checkov/tests/terraform/graph/checks/resources/KmsKeyPolicyIsDefined/main.tf',
    ) as TemplateReadResult;
    expect(graph.keys.map((k) => [k.logicalId, k.policy !== undefined])).toEqual([
      ['aws_kms_key.pass', true],
      ['aws_kms_key.pass2', true],
      ['aws_kms_key.fail', false],
    ]);
  });

  it('reads the SRA templates: peer suppressions, a statement inside !If, conditioned wildcard', () => {
    const secrets = results.get(
      'aws-samples__aws-security-reference-architecture-examples/aws_sra_examples/solutions/common/common_prerequisites/templates/sra-common-prerequisites-secrets-kms.yaml',
    ) as TemplateReadResult;
    expect(keyNamed(secrets, 'rSRASecretsKey').peerSuppressions).toEqual(['F76', 'CKV_AWS_33']);
    const lake = results.get(
      'aws-samples__aws-security-reference-architecture-examples/aws_sra_examples/solutions/security_lake/security_lake_org/templates/sra-security-lake-org-kms-key.yaml',
    ) as TemplateReadResult;
    const statements = (keyNamed(lake, 'rSecurityLakeKey').policy as { Statement: Array<{ Sid: string }> }).Statement;
    expect(statements.map((s) => s.Sid)).toContain('Allow use of the key');
    expect(statements).toHaveLength(6);
  });

  it('reads the cfn-guard test inputs, including their suppression metadata', async () => {
    const cases = parse(
      readFileSync(
        join(
          CORPUS,
          'aws-cloudformation__aws-guard-rules-registry/rules/aws/aws_kms/tests/kms_no_wildcard_principal_tests.yml',
        ),
        'utf8',
      ),
    ) as Array<{ name: string; input: { Resources?: unknown } }>;
    const read = await Promise.all(
      cases
        .filter((c) => c.input?.Resources !== undefined)
        .map(async (c) => [c.name, await readTemplate(stringify(c.input), 'input.yaml')] as const),
    );
    expect(read.map(([name, result]) => [name, result.keys.length, result.errors.length])).toEqual([
      ['Scenario a) No resources, SKIP', 0, 0],
      ['KMS key with principal "*", FAIL', 1, 0],
      ['KMS key with principal NOT "*", PASS', 1, 0],
      ['F76 CFN-NAG suppression, SKIP', 1, 0],
      ['cfn-guard suppression, SKIP', 1, 0],
      ['cfn-guard and cfn-nag suppression, SKIP', 1, 0],
    ]);
    expect(read.slice(3).map(([, result]) => result.keys[0]?.peerSuppressions)).toEqual([
      ['F76'],
      ['KMS_NO_WILDCARD_PRINCIPAL'],
      ['F76', 'KMS_NO_WILDCARD_PRINCIPAL'],
    ]);
  });

  it('reads the Terraform snippets of the trivy check examples', async () => {
    const examples = parse(
      readFileSync(join(CORPUS, 'aquasecurity__trivy-checks/checks/cloud/aws/kms/auto_rotate_keys.yaml'), 'utf8'),
    ) as {
      terraform: { good: string[]; bad: string[] };
    };
    const read = async (snippet: string) => (await readTemplate(snippet, 'example.tf')).keys[0];
    const good = await Promise.all(examples.terraform.good.map(read));
    const bad = await Promise.all(examples.terraform.bad.map(read));
    expect(good.map((k) => [k?.enableKeyRotation, k?.keyUsage])).toEqual([
      [true, undefined],
      [false, 'SIGN_VERIFY'],
    ]);
    expect(bad.map((k) => k?.enableKeyRotation)).toEqual([false]);
  });
});
