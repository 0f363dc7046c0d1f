/** Reads a CloudFormation or SAM template (YAML or JSON) into keys, KMS-related policies and notes. */
import { ReadLog } from '../log';
import { parseJsonSource } from '../parse-json';
import type { ParsedSource } from '../parsed-source';
import type { TemplateReadOptions, TemplateReadResult } from '../types';
import { IamPrincipals, type Principal, readIamPolicies } from './iam';
import { readKeys } from './keys';
import { parseYamlTemplate } from './parse-yaml';
import { environmentOf } from './pseudo';
import type { CfnRead } from './read-context';
import { Resolver } from './resolver';
import { implicitSamRoles, readSamFunctionPolicies } from './sam';
import { readTemplateSections } from './template';

export function readCloudFormation(text: string, file: string, options: TemplateReadOptions): TemplateReadResult {
  const env = environmentOf(options);
  const parsed: ParsedSource = /^\s*\{/.test(text) ? parseJsonSource(text) : parseYamlTemplate(text);
  const log = new ReadLog(file, (pointer) => parsed.positions.nearest(pointer)?.position);
  const result: TemplateReadResult = {
    file,
    format: 'cloudformation',
    account: env.account,
    keys: [],
    policies: [],
    grants: [],
    notes: log.notes,
    errors: log.errors,
  };
  for (const error of [...parsed.errors, ...parsed.problems]) {
    log.error(
      error.pointer,
      error.message,
      error.line !== undefined ? { line: error.line, column: error.column ?? 1 } : undefined,
    );
  }
  if (parsed.errors.length > 0) return result;
  const template = readTemplateSections(parsed.value, log);
  if (!template) return result;
  if (template.isSam) result.format = 'sam';
  const resolver = new Resolver({
    template,
    env,
    log,
    parameters: options.parameters ?? {},
    implicit: implicitSamRoles(template),
  });
  const read: CfnRead = { file, template, resolver, positions: parsed.positions, log };
  result.keys = readKeys(read);
  const principals = new IamPrincipals(read);
  const attachedManaged = new Map<string, Principal[]>();
  const samPolicies = readSamFunctionPolicies(read, principals, attachedManaged);
  result.policies = [...readIamPolicies(read, principals, attachedManaged), ...samPolicies];
  return result;
}
