/** Which reader a file needs, decided by its content (the file name only breaks ties). */
import type { TemplateFormat } from './types';

const HCL_BLOCK = /^\s*(resource|data|module|variable|provider|terraform|locals|output)\s*("[^"\n]*"\s*)*\{/m;
const CFN_TOP_LEVEL_YAML = /^(AWSTemplateFormatVersion|Resources)\s*:/m;
const SAM_TRANSFORM = /AWS::Serverless-2016-10-31/;

export function detectTemplate(text: string, fileName: string): TemplateFormat | undefined {
  const head = text.slice(0, 4096);
  if (/^\s*\{/.test(text)) return detectJson(text);
  if (/\.tf$/i.test(fileName) || (!/\.(ya?ml|json|template)$/i.test(fileName) && HCL_BLOCK.test(head))) {
    return HCL_BLOCK.test(text) || text.trim() === '' ? 'terraform-hcl' : undefined;
  }
  if (CFN_TOP_LEVEL_YAML.test(text)) return SAM_TRANSFORM.test(text) ? 'sam' : 'cloudformation';
  return undefined;
}

function detectJson(text: string): TemplateFormat | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not strict JSON: let the CloudFormation reader report where, if it looks like a template.
    if (/"(AWSTemplateFormatVersion|Resources)"\s*:/.test(text)) {
      return SAM_TRANSFORM.test(text) ? 'sam' : 'cloudformation';
    }
    if (/"(format_version|planned_values|resource_changes)"\s*:/.test(text)) return 'terraform-plan';
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (
    'planned_values' in record ||
    'resource_changes' in record ||
    ('format_version' in record && 'values' in record)
  ) {
    return 'terraform-plan';
  }
  if ('format_version' in record && 'configuration' in record) return 'terraform-plan';
  if ('Resources' in record || 'AWSTemplateFormatVersion' in record) {
    const transform = JSON.stringify(record.Transform ?? '');
    return SAM_TRANSFORM.test(transform) ? 'sam' : 'cloudformation';
  }
  return undefined;
}
