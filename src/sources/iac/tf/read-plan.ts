/**
 * Reads `terraform show -json` output (a plan, or a state): resource instances from planned_values (and
 * prior_state for data sources read during plan), values unknown until apply (after_unknown) made symbolic, and
 * references from `configuration` (how an aws_kms_key_policy or a grant names its key when the key id is unknown).
 */
import { findNodeAtLocation, type Node, parseTree } from 'jsonc-parser';
import { environmentOf } from '../cfn/pseudo';
import { ReadLog } from '../log';
import { parseJsonSource } from '../parse-json';
import { pointerSegments } from '../pointer';
import { LineIndex } from '../positions';
import type { TemplateReadOptions, TemplateReadResult } from '../types';
import { extractTerraform } from './extract';
import { type PlanInstance, planInstances } from './plan-instances';
import { PlanResource } from './plan-resource';

export function readTerraformPlan(text: string, file: string, options: TemplateReadOptions): TemplateReadResult {
  const env = environmentOf(options);
  const parsed = parseJsonSource(text);
  const log = new ReadLog(file, (pointer) => parsed.positions.nearest(pointer)?.position);
  const result: TemplateReadResult = {
    file,
    format: 'terraform-plan',
    account: env.account,
    keys: [],
    policies: [],
    grants: [],
    notes: log.notes,
    errors: log.errors,
  };
  for (const error of parsed.errors) {
    log.error(
      undefined,
      error.message,
      error.line !== undefined ? { line: error.line, column: error.column ?? 1 } : undefined,
    );
  }
  if (parsed.errors.length > 0) return result;
  const plan = parsed.value as Record<string, unknown>;
  const version = typeof plan.format_version === 'string' ? plan.format_version : undefined;
  if (version && !/^[01]\./.test(version)) {
    log.error('/format_version', `unsupported plan format_version ${version}: keywarden reads versions 0.x and 1.x`);
    return result;
  }
  const instances: PlanInstance[] = planInstances(plan, log);
  if (instances.length === 0 && !plan.planned_values && !plan.values) {
    log.error('', 'no planned_values or values: produce the file with `terraform show -json <planfile>`');
    return result;
  }
  const tree = parseTree(text) as Node;
  const lines = new LineIndex(text);
  const stringAt = (pointer: string) => {
    const node = findNodeAtLocation(
      tree,
      pointerSegments(pointer).map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
    );
    return node?.type === 'string' ? node : undefined;
  };
  const resources = new Map<string, PlanResource>();
  const context = { file, log, positions: parsed.positions, lines, text, stringAt, resources };
  for (const instance of instances) resources.set(instance.address, new PlanResource(context, instance));
  const extracted = extractTerraform(file, [...resources.values()], env, log);
  result.keys = extracted.keys;
  result.policies = extracted.policies;
  result.grants = extracted.grants;
  return result;
}
