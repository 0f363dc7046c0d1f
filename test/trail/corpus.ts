/**
 * The real, third-party CloudTrail records of ../shared/corpus/real (see each folder's SOURCE.md for provenance and
 * labels). Tests that need them skip, saying why, when the corpus is not present.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const CORPUS = process.env.KEYWARDEN_CORPUS ?? '/work/shared/corpus/real';
export const hasCorpus = existsSync(CORPUS);

export const AWSDOCS = join(CORPUS, 'awsdocs__aws-kms-developer-guide/doc_source');
export const PANTHER_RULES = join(CORPUS, 'panther-labs__panther-analysis/rules/aws_cloudtrail_rules');
export const STRATUS = join(CORPUS, 'DataDog__stratus-red-team/docs/detonation-logs');

/** Every CloudTrail example file of the KMS developer guide (SOURCE.md: ct-* plus three extra events). */
export const awsdocsTrailFiles = (): string[] =>
  readdirSync(AWSDOCS)
    .filter(
      (name) =>
        name.startsWith('ct-') ||
        name === 'services-wm.md.block-4.json' ||
        name === 'services-wm.md.block-5.json' ||
        name === 'kms-vpc-endpoint.md.block-10.json',
    )
    .sort()
    .map((name) => join(AWSDOCS, name));

export interface PantherTest {
  file: string;
  name: string;
  /** For rules: true = the rule fires (FLAG). */
  expected: boolean;
  log: Record<string, unknown>;
}

/** The labelled CloudTrail events embedded in Panther's rule YAML (`Tests[].Log`). */
export const pantherTests = (file: string): PantherTest[] => {
  const doc = parse(readFileSync(join(PANTHER_RULES, file), 'utf8')) as {
    Tests: Array<{ Name: string; ExpectedResult: boolean; Log: Record<string, unknown> }>;
  };
  return doc.Tests.map((test) => ({ file, name: test.Name, expected: test.ExpectedResult, log: test.Log }));
};

export const pantherTest = (file: string, name: string): PantherTest => {
  const found = pantherTests(file).find((test) => test.name === name);
  if (!found) throw new Error(`no Panther test "${name}" in ${file}`);
  return found;
};

export const stratusRecords = (): Array<Record<string, unknown>> =>
  readdirSync(STRATUS)
    .sort()
    .flatMap((name) => JSON.parse(readFileSync(join(STRATUS, name), 'utf8')) as Array<Record<string, unknown>>);

export const awsdocsRecord = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(AWSDOCS, name), 'utf8')) as Record<string, unknown>;
