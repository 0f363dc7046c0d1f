/** One plan instance as a TfResource: values, configuration references, policies located inside the plan file. */
import type { Node } from 'jsonc-parser';
import type { ReadLog } from '../log';
import type { LineIndex, PositionMap } from '../positions';
import type { TemplateLocation } from '../types';
import { isSymbolicText } from './evaluate';
import { referencedAddress, type TfPolicy, type TfResource } from './model';
import type { PlanInstance } from './plan-instances';
import { policyDocumentOf } from './policy-document';
import { policyFromText } from './policy-text';

export interface PlanContext {
  file: string;
  log: ReadLog;
  positions: PositionMap;
  lines: LineIndex;
  text: string;
  stringAt(pointer: string): Node | undefined;
  resources: Map<string, TfResource>;
}

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function at(value: unknown, path: string): unknown {
  let current = value;
  for (const segment of path.split('/').filter((s) => s !== '')) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isJson(current)) current = current[segment];
    else return undefined;
  }
  return current;
}

/** Configuration expressions -> plain values (constant values; references become symbolic text). */
function expressionValues(expressions: unknown, depth = 0): unknown {
  if (depth > 50) return undefined;
  if (Array.isArray(expressions)) return expressions.map((item) => expressionValues(item, depth + 1));
  if (!isJson(expressions)) return undefined;
  if ('constant_value' in expressions) return expressions.constant_value;
  if (Array.isArray(expressions.references)) return `{{${String(expressions.references[0] ?? '?')}}}`;
  return Object.fromEntries(Object.entries(expressions).map(([k, v]) => [k, expressionValues(v, depth + 1)]));
}

export class PlanResource implements TfResource {
  readonly address: string;
  readonly mode: TfResource['mode'];
  readonly type: string;
  readonly name: string;
  readonly attrs: Record<string, unknown>;
  readonly location?: TemplateLocation;
  readonly suppressions = [];
  readonly peerSuppressions = [];
  private readonly policies = new Map<string, TfPolicy | undefined>();

  constructor(
    private readonly context: PlanContext,
    private readonly instance: PlanInstance,
  ) {
    this.address = instance.address;
    this.mode = instance.mode;
    this.type = instance.type;
    this.name = instance.name;
    const values = instance.values;
    // A data source not read yet: fall back to its configuration (constant values, symbolic references).
    const fromConfig =
      instance.mode === 'data' && Object.keys(values).length === 0 && instance.expressions
        ? (expressionValues(instance.expressions) as Json)
        : undefined;
    this.attrs = fromConfig ?? values;
    this.location = this.pointerLocation(instance.pointer);
  }

  private pointerLocation(pointer: string): TemplateLocation {
    const found = this.context.positions.nearest(pointer);
    return {
      file: this.context.file,
      pointer,
      ...(found ? { line: found.position.line, column: found.position.column } : {}),
    };
  }

  locate(path: string): TemplateLocation | undefined {
    return this.pointerLocation(`${this.instance.valuesPointer}/${path}`);
  }

  refs(path: string): string[] {
    const expression = at(this.instance.expressions, path);
    const references = isJson(expression) && Array.isArray(expression.references) ? expression.references : [];
    const prefix = this.instance.modulePath ? `${this.instance.modulePath}.` : '';
    return [
      ...new Set(
        references
          .map((ref) => referencedAddress(`${prefix}${String(ref)}`))
          .filter((a): a is string => a !== undefined),
      ),
    ];
  }

  policy(path: string): TfPolicy | undefined {
    if (!this.policies.has(path)) this.policies.set(path, this.readPolicy(path));
    return this.policies.get(path);
  }

  private readPolicy(path: string): TfPolicy | undefined {
    const value = at(this.attrs, path);
    if (typeof value === 'string' && !isSymbolicText(value)) return this.fromPlanString(path, value);
    if (this.mode === 'data' && this.type === 'aws_iam_policy_document' && path === 'json') {
      return policyDocumentOf(this, this.context.log);
    }
    for (const ref of this.refs(path)) {
      const target = this.context.resources.get(ref);
      if (target?.type === 'aws_iam_policy_document') return target.policy('json');
    }
    if (value === undefined || value === null) return undefined;
    const location = this.locate(path);
    this.context.log.note(
      location?.pointer ?? this.instance.valuesPointer,
      `the ${path} of ${this.address} is known only after apply`,
    );
    return { document: value, ...(location ? { location } : {}), locate: () => location };
  }

  /** A policy string of the plan: positions inside the JSON string map back to the plan file. */
  private fromPlanString(path: string, value: string): TfPolicy {
    const pointer = `${this.instance.valuesPointer}/${path}`;
    const node = this.context.stringAt(pointer);
    const location = this.locate(path);
    const fallback = location?.line !== undefined ? { line: location.line, column: location.column ?? 1 } : undefined;
    let positionOf: ((offset: number) => { line: number; column: number }) | undefined;
    if (node) {
      const offsets = decodedOffsets(this.context.text, node.offset + 1, node.offset + node.length - 1);
      positionOf = (offset) => this.context.lines.position(offsets[offset] ?? node.offset);
    }
    return policyFromText(value, {
      file: this.context.file,
      pointer,
      log: this.context.log,
      ...(fallback ? { fallback } : {}),
      ...(positionOf ? { positionOf } : {}),
    });
  }
}

/** For each UTF-16 unit of a decoded JSON string, the offset of the raw text it came from. */
function decodedOffsets(text: string, start: number, end: number): number[] {
  const offsets: number[] = [];
  let i = start;
  while (i < end) {
    offsets.push(i);
    if (text[i] === '\\') i += text[i + 1] === 'u' ? 6 : 2;
    else i++;
  }
  return offsets;
}
