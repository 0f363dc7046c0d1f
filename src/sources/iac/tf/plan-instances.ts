/** The resource instances of a plan (or state) JSON, with unknown-after-apply values made symbolic. */
import type { ReadLog } from '../log';
import { childPointer } from '../pointer';

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface PlanInstance {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  /** `module.a.module.b`, or '' in the root module (instance keys removed). */
  modulePath: string;
  values: Json;
  /** Pointer of the `values` (or `change.after`) object in the plan file. */
  valuesPointer: string;
  /** Pointer of the instance object. */
  pointer: string;
  /** Block expressions of the resource's configuration, when the plan has a configuration. */
  expressions?: Json;
}

export function modulePathOf(address: string): string {
  const parts: string[] = [];
  const pattern = /module\.([^.[]+)(\[[^\]]*\])?\./y;
  let match = pattern.exec(address);
  while (match) {
    parts.push(`module.${match[1]}`);
    match = pattern.exec(address);
  }
  return parts.join('.');
}

function configAddress(instance: { address: string; modulePath: string }): string {
  const local = instance.address.replace(/^(module\.[^.[]+(\[[^\]]*\])?\.)*/, '').replace(/\[[^\]]*\]$/, '');
  return instance.modulePath ? `${instance.modulePath}.${local}` : local;
}

function collectConfig(module: unknown, prefix: string, out: Map<string, Json>, depth = 0): void {
  if (!isJson(module) || depth > 50) return;
  if (Array.isArray(module.resources)) {
    for (const resource of module.resources) {
      if (!isJson(resource) || typeof resource.address !== 'string') continue;
      out.set(
        prefix ? `${prefix}.${resource.address}` : resource.address,
        isJson(resource.expressions) ? resource.expressions : {},
      );
    }
  }
  if (isJson(module.module_calls)) {
    for (const [name, call] of Object.entries(module.module_calls)) {
      if (isJson(call))
        collectConfig(call.module, prefix ? `${prefix}.module.${name}` : `module.${name}`, out, depth + 1);
    }
  }
}

/**
 * Marks the leaves `after_unknown` flags as symbolic text: `{{<what the configuration refers to>}}` when the
 * configuration names it (e.g. `{{aws_kms_key.main.arn}}`), else `{{<address>.<attribute path>}}`.
 */
function markUnknown(values: Json, unknown: unknown, instance: Unknowns, path: string[], depth = 0): void {
  if (!isJson(unknown) || depth > 50) return;
  const symbol = (here: string[]) => {
    let expression: unknown = instance.expressions;
    for (const step of here) {
      expression = Array.isArray(expression)
        ? expression[Number(step)]
        : isJson(expression)
          ? expression[step]
          : undefined;
    }
    const references = isJson(expression) && Array.isArray(expression.references) ? expression.references : [];
    const reference = references[0];
    return typeof reference === 'string' ? `{{${reference}}}` : `{{${instance.address}.${here.join('.')}}}`;
  };
  for (const [key, flag] of Object.entries(unknown)) {
    const here = [...path, key];
    if (flag === true) {
      if (values[key] === undefined || values[key] === null) values[key] = symbol(here);
    } else if (Array.isArray(flag) && Array.isArray(values[key])) {
      const list = values[key] as unknown[];
      flag.forEach((item, index) => {
        const at = [...here, String(index)];
        if (item === true && (list[index] === undefined || list[index] === null)) list[index] = symbol(at);
        else if (isJson(list[index])) markUnknown(list[index] as Json, item, instance, at, depth + 1);
      });
    } else if (isJson(flag) && isJson(values[key])) markUnknown(values[key] as Json, flag, instance, here, depth + 1);
  }
}

interface Unknowns {
  address: string;
  expressions?: Json;
}

export function planInstances(plan: Json, log: ReadLog): PlanInstance[] {
  const instances = new Map<string, PlanInstance>();
  const addFrom = (module: unknown, pointer: string, depth = 0) => {
    if (!isJson(module) || depth > 50) return;
    if (Array.isArray(module.resources)) {
      module.resources.forEach((resource, index) => {
        if (!isJson(resource) || typeof resource.address !== 'string' || instances.has(resource.address)) return;
        const instancePointer = childPointer(childPointer(pointer, 'resources'), index);
        instances.set(resource.address, {
          address: resource.address,
          mode: resource.mode === 'data' ? 'data' : 'managed',
          type: String(resource.type ?? ''),
          name: String(resource.name ?? ''),
          modulePath: modulePathOf(resource.address),
          values: isJson(resource.values) ? structuredClone(resource.values) : {},
          valuesPointer: childPointer(instancePointer, 'values'),
          pointer: instancePointer,
        });
      });
    }
    if (Array.isArray(module.child_modules)) {
      module.child_modules.forEach((child, index) => {
        addFrom(child, childPointer(childPointer(pointer, 'child_modules'), index), depth + 1);
      });
    }
  };
  const planned = isJson(plan.planned_values) ? plan.planned_values : undefined;
  const state = isJson(plan.values) ? plan.values : undefined;
  if (planned) addFrom(planned.root_module, '/planned_values/root_module');
  else if (state) addFrom(state.root_module, '/values/root_module');
  const prior = isJson(plan.prior_state) && isJson(plan.prior_state.values) ? plan.prior_state.values : undefined;
  if (prior) addFrom(prior.root_module, '/prior_state/values/root_module');
  const config = new Map<string, Json>();
  if (isJson(plan.configuration)) collectConfig(plan.configuration.root_module, '', config);
  for (const instance of instances.values()) {
    const expressions = config.get(configAddress(instance));
    if (expressions) instance.expressions = expressions;
  }
  if (Array.isArray(plan.resource_changes)) {
    plan.resource_changes.forEach((change, index) => {
      if (!isJson(change) || typeof change.address !== 'string' || !isJson(change.change)) return;
      const actions = Array.isArray(change.change.actions) ? change.change.actions : [];
      if (actions.length === 1 && actions[0] === 'delete') return;
      const changePointer = childPointer(childPointer('/resource_changes', index), 'change');
      let instance = instances.get(change.address);
      if (!instance && isJson(change.change.after)) {
        instance = {
          address: change.address,
          mode: change.mode === 'data' ? 'data' : 'managed',
          type: String(change.type ?? ''),
          name: String(change.name ?? ''),
          modulePath: modulePathOf(change.address),
          values: structuredClone(change.change.after),
          valuesPointer: childPointer(changePointer, 'after'),
          pointer: childPointer('/resource_changes', index),
        };
        const expressions = config.get(configAddress(instance));
        if (expressions) instance.expressions = expressions;
        instances.set(change.address, instance);
      }
      if (instance) markUnknown(instance.values, change.change.after_unknown, instance, []);
    });
  }
  if (instances.size === 0) log.note('', 'the plan declares no resources');
  return [...instances.values()];
}
