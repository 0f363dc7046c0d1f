/**
 * What a reference in a .tf file stands for: variables (from --parameter values or defaults), locals, the
 * account/partition/region data sources, policy documents, and the names/ARNs of IAM resources in the file.
 * Everything else is unknown before apply and stays symbolic.
 */
import type { Environment } from '../cfn/pseudo';
import { applySteps, type EvalScope, type PathStep } from './evaluate';
import { TF_IAM_KIND, tfIamArn, tfIamName } from './iam-names';
import type { TfResource } from './model';

export interface HclScopeInput {
  env: Environment;
  parameters: Record<string, string>;
  variables: Record<string, Record<string, unknown>>;
  locals: Record<string, unknown>;
  resources: Map<string, TfResource>;
  /** Evaluates a raw hcl2json value (a variable default, a local). */
  evaluateRaw(raw: unknown, pointer: string): unknown;
  /** The JSON text of an aws_iam_policy_document data source. */
  policyDocumentJson(resource: TfResource): string | undefined;
  note(at: number, message: string): void;
}

const OPAQUE_ROOTS = new Set(['module', 'each', 'count', 'self', 'path', 'terraform']);

export class HclScope implements EvalScope {
  private readonly inProgress = new Set<string>();
  private readonly cache = new Map<string, unknown>();

  constructor(private readonly input: HclScopeInput) {}

  note(at: number, message: string): void {
    this.input.note(at, message);
  }

  reference(root: string, steps: PathStep[], at: number): unknown {
    const { env } = this.input;
    if (root === 'var')
      return this.guarded(`var.${steps[0]}`, at, () => this.variable(String(steps[0]), at), steps.slice(1));
    if (root === 'local') {
      const name = String(steps[0]);
      if (!Object.hasOwn(this.input.locals, name)) {
        this.note(at, `local.${name} is not defined in this file`);
        return undefined;
      }
      return this.guarded(
        `local.${name}`,
        at,
        () => this.input.evaluateRaw(this.input.locals[name], `/locals/${name}`),
        steps.slice(1),
      );
    }
    if (root === 'data') {
      const [type, name, attribute] = steps.map(String);
      if (type === 'aws_caller_identity' && attribute === 'account_id') return env.account;
      if (type === 'aws_partition' && attribute === 'partition') return env.partition;
      if (type === 'aws_partition' && attribute === 'dns_suffix') return env.urlSuffix;
      if (type === 'aws_region' && (attribute === 'name' || attribute === 'region')) {
        if (!env.regionKnown) this.note(at, 'the region is unknown before apply: pass --region to resolve it');
        return env.region;
      }
      if (type === 'aws_iam_policy_document' && (attribute === 'json' || attribute === 'minified_json')) {
        const resource = this.input.resources.get(`data.${type}.${name}`);
        if (!resource) {
          this.note(at, `data.${type}.${name} is not defined in this file: its document is unknown`);
          return undefined;
        }
        return this.guarded(`data.${type}.${name}`, at, () => this.input.policyDocumentJson(resource), []);
      }
      return undefined;
    }
    if (OPAQUE_ROOTS.has(root)) return undefined;
    return this.resourceAttribute(root, steps, at);
  }

  private resourceAttribute(type: string, steps: PathStep[], at: number): unknown {
    const name = String(steps[0]);
    let rest = steps.slice(1);
    while (typeof rest[0] === 'number' || (rest.length > 1 && /^\d+$/.test(String(rest[0])))) rest = rest.slice(1);
    const address = `${type}.${name}`;
    const resource = this.input.resources.get(address);
    if (!resource) {
      this.note(at, `${address} is not defined in this file: its attributes are unknown`);
      return undefined;
    }
    const attribute = String(rest[0] ?? '');
    const key = `${address}.${attribute}`;
    if (TF_IAM_KIND[type] && attribute === 'arn')
      return this.guarded(key, at, () => tfIamArn(resource, this.input.env), []);
    if (TF_IAM_KIND[type] && (attribute === 'name' || attribute === 'id') && type !== 'aws_iam_policy') {
      const named = this.guarded(key, at, () => tfIamName(resource), []);
      return typeof named === 'string' && !named.startsWith('{{') ? named : undefined;
    }
    const value = this.guarded(key, at, () => resource.attrs[attribute], rest.slice(1));
    return typeof value === 'string' && value.includes('{{') ? undefined : value;
  }

  private variable(name: string, at: number): unknown {
    const given = this.input.parameters[name];
    if (given !== undefined) {
      if (/^\s*[[{]/.test(given)) {
        try {
          return JSON.parse(given);
        } catch {
          return given;
        }
      }
      return given;
    }
    const definition = this.input.variables[name];
    if (!definition) {
      this.note(at, `var.${name} is not declared in this file: pass --parameter ${name}=VALUE to resolve it`);
      return undefined;
    }
    if (!Object.hasOwn(definition, 'default') || definition.default === null) {
      this.note(at, `var.${name} has no default: pass --parameter ${name}=VALUE to resolve it`);
      return undefined;
    }
    return this.input.evaluateRaw(definition.default, `/variable/${name}/default`);
  }

  /** Evaluates once, and turns a circular reference into an unknown value with a note. */
  private guarded(key: string, at: number, compute: () => unknown, rest: PathStep[]): unknown {
    if (this.inProgress.has(key)) {
      this.note(at, `circular reference through ${key}`);
      return undefined;
    }
    let value = this.cache.get(key);
    if (!this.cache.has(key)) {
      this.inProgress.add(key);
      try {
        value = compute();
      } finally {
        this.inProgress.delete(key);
      }
      this.cache.set(key, value);
    }
    return rest.length === 0 ? value : applySteps(value, rest);
  }
}
