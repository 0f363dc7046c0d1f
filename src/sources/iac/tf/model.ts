/**
 * One Terraform resource, data source or module call as both readers (HCL and plan JSON) present it to the
 * extractor. Pointers into Terraform use the hcl2json layout: `/resource/<type>/<name>/<attribute>/...`,
 * `/data/<type>/<name>/...`, `/module/<name>/...` (plan JSON: pointers into the plan file).
 */
import type { TemplateLocation, TemplateSuppression } from '../types';

export interface TfPolicy {
  document: unknown;
  location?: TemplateLocation;
  locate(pointer: string): TemplateLocation | undefined;
}

export interface TfResource {
  /** `aws_kms_key.main`, `data.aws_iam_policy_document.key`, `module.kms`, `module.a.aws_kms_key.k[0]`. */
  address: string;
  mode: 'managed' | 'data' | 'module';
  type: string;
  name: string;
  /** Evaluated argument values; unknown parts are symbolic `{{...}}` text. Nested blocks are arrays of objects. */
  attrs: Record<string, unknown>;
  /** Addresses (without attribute) an argument refers to, e.g. key_id -> [`aws_kms_key.main`]. */
  refs(path: string): string[];
  location?: TemplateLocation;
  locate(path: string): TemplateLocation | undefined;
  /** The policy document written in an argument (`policy`, `inline_policy/0/policy`, `json`). */
  policy(path: string): TfPolicy | undefined;
  suppressions: TemplateSuppression[];
  peerSuppressions: string[];
}

/** `aws_kms_key.main[0].arn` -> `aws_kms_key.main`; `data.x.y.json` -> `data.x.y`; module prefixes kept. */
export function referencedAddress(reference: string): string | undefined {
  const parts = reference.replace(/\[[^\]]*\]/g, '').split('.');
  const out: string[] = [];
  let i = 0;
  while (parts[i] === 'module' && parts[i + 1] !== undefined) {
    out.push('module', parts[i + 1] as string);
    i += 2;
  }
  if (parts[i] === 'data') {
    if (parts[i + 2] === undefined) return undefined;
    return [...out, 'data', parts[i + 1], parts[i + 2]].join('.');
  }
  if (parts[i] === undefined || parts[i + 1] === undefined) return out.length > 0 ? out.join('.') : undefined;
  if (['var', 'local', 'each', 'count', 'self', 'path', 'terraform'].includes(parts[i] as string)) return undefined;
  return [...out, parts[i], parts[i + 1]].join('.');
}

/** Address without an instance index: `aws_kms_key.k[0]` -> `aws_kms_key.k`. */
export function baseAddress(address: string): string {
  return address.replace(/\[[^\]]*\]$/, '');
}
