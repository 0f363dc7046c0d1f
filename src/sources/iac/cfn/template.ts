/** The sections of a CloudFormation/SAM template keywarden reads, checked for shape with located errors. */
import type { ReadLog } from '../log';
import { childPointer } from '../pointer';

export interface CfnResource {
  id: string;
  type: string;
  properties: Record<string, unknown>;
  metadata: unknown;
  condition?: string;
  /** `/Resources/<id>` */
  pointer: string;
}

export interface CfnTemplate {
  resources: Map<string, CfnResource>;
  parameters: Map<string, Record<string, unknown>>;
  mappings: Record<string, unknown>;
  conditions: Record<string, unknown>;
  isSam: boolean;
}

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function transformsOf(root: Record<string, unknown>): string[] {
  const transform = root.Transform;
  if (typeof transform === 'string') return [transform];
  if (Array.isArray(transform)) return transform.filter((t): t is string => typeof t === 'string');
  return [];
}

/** Reads the sections; shape problems become located errors and the offending resource is skipped. */
export function readTemplateSections(root: unknown, log: ReadLog): CfnTemplate | undefined {
  if (!isRecord(root)) {
    log.error('', 'the template is not a mapping: a CloudFormation template is an object with a Resources section');
    return undefined;
  }
  const resources = new Map<string, CfnResource>();
  const rawResources = root.Resources;
  if (rawResources !== undefined && !isRecord(rawResources)) {
    log.error('/Resources', 'Resources must be a mapping of logical ids to resources');
  } else if (rawResources) {
    for (const [id, raw] of Object.entries(rawResources)) {
      const pointer = childPointer('/Resources', id);
      if (id.startsWith('Fn::ForEach::')) {
        log.note(
          pointer,
          `${id}: Fn::ForEach (AWS::LanguageExtensions) is not expanded by keywarden; its resources are not read`,
        );
        continue;
      }
      if (!isRecord(raw)) {
        log.error(pointer, `resource ${id} must be a mapping with a Type`);
        continue;
      }
      if (typeof raw.Type !== 'string') {
        log.error(pointer, `resource ${id} has no Type: add Type, e.g. AWS::KMS::Key`);
        continue;
      }
      const properties = raw.Properties ?? {};
      if (!isRecord(properties)) {
        log.error(childPointer(pointer, 'Properties'), `Properties of ${id} must be a mapping`);
        continue;
      }
      resources.set(id, {
        id,
        type: raw.Type,
        properties,
        metadata: raw.Metadata,
        ...(typeof raw.Condition === 'string' ? { condition: raw.Condition } : {}),
        pointer,
      });
    }
  }
  const parameters = new Map<string, Record<string, unknown>>();
  if (isRecord(root.Parameters)) {
    for (const [name, definition] of Object.entries(root.Parameters)) {
      parameters.set(name, isRecord(definition) ? definition : {});
    }
  }
  return {
    resources,
    parameters,
    mappings: isRecord(root.Mappings) ? root.Mappings : {},
    conditions: isRecord(root.Conditions) ? root.Conditions : {},
    isSam: transformsOf(root).includes(SAM_TRANSFORM),
  };
}
