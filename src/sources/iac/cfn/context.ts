/** What intrinsic resolution needs: the template, the environment, parameter values and the log. */
import type { ReadLog } from '../log';
import type { Environment } from './pseudo';
import type { CfnResource, CfnTemplate } from './template';

export interface ResolveContext {
  template: CfnTemplate;
  env: Environment;
  log: ReadLog;
  /** `--parameter` values. */
  parameters: Record<string, string>;
  /** Resources SAM creates implicitly (a function's `<Function>Role`), by logical id. */
  implicit: Map<string, CfnResource>;
  /** False: a parameter without a --parameter value is unknown even if it has a Default. */
  parameterDefaults?: boolean;
}

/** out-pointer (in the resolved value) -> template pointer it came from. */
export type Trail = Map<string, string>;

export interface ValueResolver {
  readonly ctx: ResolveContext;
  resolve(value: unknown, src: string, trail?: Trail, out?: string): unknown;
}

/** A resolver that can also answer Ref and GetAtt (what Fn::Sub variables need). */
export interface ReferenceResolver extends ValueResolver {
  ref(name: string, at: string): unknown;
  attribute(id: string, attribute: string, at: string): unknown;
}
