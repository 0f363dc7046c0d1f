/** readTemplate: picks the reader by content and never throws; a failure is a located error in the result. */

import { ACCOUNT_SYMBOL } from './cfn/pseudo';
import { readCloudFormation } from './cfn/read-cfn';
import { detectTemplate } from './detect';
import { readTerraformHcl } from './tf/read-hcl';
import { readTerraformPlan } from './tf/read-plan';
import type { TemplateFormat, TemplateReadOptions, TemplateReadResult } from './types';

export async function readTemplate(
  text: string,
  fileName: string,
  options: TemplateReadOptions = {},
): Promise<TemplateReadResult> {
  const format = detectTemplate(text, fileName);
  try {
    switch (format) {
      case 'cloudformation':
      case 'sam':
        return readCloudFormation(text, fileName, options);
      case 'terraform-plan':
        return readTerraformPlan(text, fileName, options);
      case 'terraform-hcl':
        return await readTerraformHcl(text, fileName, options);
      default:
        return failure(
          fileName,
          'cloudformation',
          options,
          'not a CloudFormation/SAM template, Terraform plan JSON or .tf file: expected a top-level Resources section, a plan with format_version/planned_values, or HCL blocks',
        );
    }
  } catch (error) {
    const reason =
      error instanceof RangeError
        ? 'the template nests too deeply to read'
        : String((error as Error)?.message ?? error);
    return failure(fileName, format ?? 'cloudformation', options, `keywarden could not read this file: ${reason}`);
  }
}

function failure(
  file: string,
  format: TemplateFormat,
  options: TemplateReadOptions,
  message: string,
): TemplateReadResult {
  return {
    file,
    format,
    account: options.accountId ?? ACCOUNT_SYMBOL,
    keys: [],
    policies: [],
    grants: [],
    notes: [],
    errors: [{ file, message, line: 1, column: 1 }],
  };
}
