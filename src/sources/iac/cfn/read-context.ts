/** Everything the CloudFormation extractors share while reading one template. */

import { ReadLog } from '../log';
import { childPointer } from '../pointer';
import type { PositionMap } from '../positions';
import { Resolver } from './resolver';
import type { CfnResource, CfnTemplate } from './template';

export interface CfnRead {
  file: string;
  template: CfnTemplate;
  resolver: Resolver;
  positions: PositionMap;
  log: ReadLog;
}

export function propertyPointer(resource: CfnResource, property: string): string {
  return childPointer(childPointer(resource.pointer, 'Properties'), property);
}

const withoutDefaults = new WeakMap<CfnRead, Resolver>();

/**
 * False when the resource's Condition is false whatever the parameters (it is not created). A condition that is
 * false only because of parameter defaults keeps the resource (a deployment may pass other values), with a note.
 */
export function isCreated(read: CfnRead, resource: CfnResource): boolean {
  if (resource.condition === undefined) return true;
  const at = childPointer(resource.pointer, 'Condition');
  const decision = read.resolver.conditions.byName(resource.condition, at);
  if (decision === false) {
    let strict = withoutDefaults.get(read);
    if (!strict) {
      const quiet = new ReadLog(read.file, () => undefined);
      strict = new Resolver({ ...read.resolver.ctx, log: quiet, parameterDefaults: false });
      withoutDefaults.set(read, strict);
    }
    if (strict.conditions.byName(resource.condition, at) === undefined) {
      read.log.note(
        resource.pointer,
        `${resource.id} is created only if condition ${resource.condition} holds: false with the parameter defaults, but a deployment may pass other values`,
      );
      return true;
    }
    read.log.note(resource.pointer, `${resource.id} is not created: condition ${resource.condition} is false`);
    return false;
  }
  if (decision === undefined) {
    read.log.note(
      resource.pointer,
      `${resource.id} is created only if condition ${resource.condition} holds, which is unknown before deploy`,
    );
  }
  return true;
}

/** The logical id a `{Ref: X}` / `{Fn::GetAtt: X.Attr}` / `!GetAtt [X, Attr]` points at, if any. */
export function referencedId(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const record = raw as Record<string, unknown>;
  if (typeof record.Ref === 'string') return record.Ref;
  const getAtt = record['Fn::GetAtt'];
  if (typeof getAtt === 'string' && getAtt.includes('.')) return getAtt.slice(0, getAtt.indexOf('.'));
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}
