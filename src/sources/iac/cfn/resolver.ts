/**
 * Resolves CloudFormation intrinsic functions into plain values. What cannot be known before deploy stays
 * symbolic (`{{Ref:Param}}`, `{{GetAtt:Res.Attr}}`, `{{ImportValue:Name}}`, an undecided `Fn::If` with both
 * branches) and is noted. A Trail records, for every pointer of the result, the template pointer it came from.
 */
import { childPointer } from '../pointer';
import { isSymbolic, NO_VALUE, scalarText } from '../values';
import { Conditions } from './conditions';
import type { ReferenceResolver, ResolveContext, Trail } from './context';
import { IAM_KIND_OF_TYPE, iamArnOf, iamNameOf } from './names';
import { pseudoParameter } from './pseudo';
import { substitute } from './sub';
import { isRecord } from './template';

const MAX_DEPTH = 300;

export function intrinsicName(value: Record<string, unknown>): string | undefined {
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0] as string;
  return key === 'Ref' || key.startsWith('Fn::') ? key : undefined;
}

export class Resolver implements ReferenceResolver {
  readonly conditions: Conditions;

  constructor(readonly ctx: ResolveContext) {
    this.conditions = new Conditions(this);
  }

  resolve(value: unknown, src: string, trail?: Trail, out = '', depth = 0): unknown {
    if (depth > MAX_DEPTH) {
      this.ctx.log.error(src, `the value nests deeper than ${MAX_DEPTH} levels`);
      return '{{too-deep}}';
    }
    trail?.set(out, src);
    if (Array.isArray(value)) {
      const result: unknown[] = [];
      value.forEach((item, index) => {
        const resolved = this.resolve(
          item,
          childPointer(src, index),
          trail,
          childPointer(out, result.length),
          depth + 1,
        );
        if (resolved !== NO_VALUE) result.push(resolved);
      });
      return result;
    }
    if (isRecord(value)) {
      const fn = intrinsicName(value);
      if (fn) return this.intrinsic(fn, value[fn], src, trail, out, depth);
      const result: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const resolved = this.resolve(item, childPointer(src, key), trail, childPointer(out, key), depth + 1);
        if (resolved !== NO_VALUE) result[key] = resolved;
      }
      return result;
    }
    return value;
  }

  private intrinsic(fn: string, arg: unknown, src: string, trail: Trail | undefined, out: string, depth: number) {
    const at = childPointer(src, fn);
    const log = this.ctx.log;
    const sub = (value: unknown, index: number) =>
      this.resolve(value, childPointer(at, index), undefined, '', depth + 1);
    switch (fn) {
      case 'Ref':
        if (typeof arg !== 'string') {
          log.error(at, 'Ref takes the name of a parameter, pseudo parameter or resource');
          return '{{Ref}}';
        }
        return this.ref(arg, at);
      case 'Fn::GetAtt':
        return this.getAtt(arg, at);
      case 'Fn::Sub':
        return substitute(this, arg, at);
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3) {
          log.error(at, 'Fn::If takes [condition name, value if true, value if false]');
          return '{{If}}';
        }
        const decision = this.conditions.byName(arg[0], childPointer(at, 0));
        if (decision === true) return this.resolve(arg[1], childPointer(at, 1), trail, out, depth + 1);
        if (decision === false) return this.resolve(arg[2], childPointer(at, 2), trail, out, depth + 1);
        log.note(at, `condition ${String(arg[0])} cannot be decided before deploy: both branches of Fn::If are kept`);
        const branch = (index: 1 | 2) => {
          const value = this.resolve(arg[index], childPointer(at, index), trail, `${out}/Fn::If/${index}`, depth + 1);
          return value === NO_VALUE ? '{{AWS::NoValue}}' : value;
        };
        return { 'Fn::If': [arg[0], branch(1), branch(2)] };
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') {
          log.error(at, 'Fn::Join takes [delimiter, list of values]');
          return '{{Join}}';
        }
        const list = sub(arg[1], 1);
        const parts = Array.isArray(list) ? list.map(scalarText) : undefined;
        if (!parts || parts.some((p) => p === undefined)) {
          log.note(at, 'Fn::Join of values unknown before deploy');
          return '{{Join}}';
        }
        return parts.join(arg[0]);
      }
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) {
          log.error(at, 'Fn::Select takes [index, list]');
          return '{{Select}}';
        }
        const index = Number(scalarText(sub(arg[0], 0)));
        const list = sub(arg[1], 1);
        if (Array.isArray(list) && Number.isInteger(index) && !isSymbolic(arg[0])) {
          if (index >= 0 && index < list.length) return list[index];
          log.error(at, `Fn::Select index ${index} is outside the list of ${list.length} values`);
          return '{{Select}}';
        }
        log.note(at, 'Fn::Select from a list unknown before deploy');
        return `{{Select:${Number.isNaN(index) ? '?' : index}}}`;
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') {
          log.error(at, 'Fn::Split takes [delimiter, string]');
          return ['{{Split}}'];
        }
        const text = sub(arg[1], 1);
        if (typeof text === 'string' && arg[0] !== '') return text.split(arg[0]);
        log.note(at, 'Fn::Split of a value unknown before deploy');
        return ['{{Split}}'];
      }
      case 'Fn::ImportValue': {
        const name = this.resolve(arg, at, undefined, '', depth + 1);
        const text = scalarText(name) ?? '?';
        log.note(at, `!ImportValue ${text}: value unknown before deploy`);
        return `{{ImportValue:${text}}}`;
      }
      case 'Fn::FindInMap':
        return this.findInMap(arg, at, depth);
      case 'Fn::Base64': {
        const text = this.resolve(arg, at, undefined, '', depth + 1);
        if (typeof text === 'string' && !isSymbolic(text)) return Buffer.from(text, 'utf8').toString('base64');
        return `{{Base64:${scalarText(text) ?? '?'}}}`;
      }
      case 'Fn::GetAZs': {
        const region = scalarText(this.resolve(arg, at, undefined, '', depth + 1)) || this.ctx.env.region;
        log.note(at, `Fn::GetAZs ${region}: availability zones are known only at deploy`);
        return [`{{GetAZs:${region}}}`];
      }
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not': {
        const decision = this.conditions.expression({ [fn]: arg }, src);
        return decision ?? '{{Condition}}';
      }
      default:
        log.note(at, `${fn} is not evaluated by keywarden: its value stays symbolic`);
        return `{{${fn}}}`;
    }
  }

  /** Ref to a pseudo parameter, parameter or resource. */
  ref(name: string, at: string): unknown {
    const log = this.ctx.log;
    const pseudo = pseudoParameter(name, this.ctx.env);
    if (pseudo) {
      if (pseudo.kind === 'no-value') return NO_VALUE;
      if (pseudo.kind === 'symbolic') log.note(at, pseudo.why);
      return pseudo.value;
    }
    const parameter = this.ctx.template.parameters.get(name);
    if (parameter) return this.parameterValue(name, parameter, at);
    const resource = this.ctx.template.resources.get(name) ?? this.ctx.implicit.get(name);
    if (resource) {
      const kind = IAM_KIND_OF_TYPE[resource.type];
      // Ref of a role, user or group is its name; of a managed policy, its ARN.
      if (kind === 'policy') return iamArnOf(this, resource, kind);
      if (kind) {
        const named = iamNameOf(this, resource, kind);
        return named === `{{${resource.id}}}` ? `{{Ref:${resource.id}}}` : named;
      }
      return `{{Ref:${name}}}`;
    }
    log.error(at, `Ref ${name}: no parameter, pseudo parameter or resource has that name`);
    return `{{Ref:${name}}}`;
  }

  private parameterValue(name: string, definition: Record<string, unknown>, at: string): unknown {
    const log = this.ctx.log;
    const type = String(definition.Type ?? 'String');
    const given = this.ctx.parameters[name];
    if (given === undefined && type.startsWith('AWS::SSM::Parameter::Value')) {
      log.note(at, `parameter ${name} is read from SSM parameter ${String(definition.Default)} at deploy`);
      return `{{Ref:${name}}}`;
    }
    const raw = given ?? (this.ctx.parameterDefaults === false ? undefined : definition.Default);
    if (raw === undefined || raw === null) {
      if (this.ctx.parameterDefaults === false) return `{{Ref:${name}}}`;
      log.note(at, `parameter ${name} has no default: pass --parameter ${name}=VALUE to resolve it`);
      return `{{Ref:${name}}}`;
    }
    const isList = type.startsWith('List<') || type === 'CommaDelimitedList' || type.includes('::List<');
    if (isList) {
      if (Array.isArray(raw)) return raw.map((item) => scalarText(item) ?? '');
      return String(raw)
        .split(',')
        .map((item) => item.trim());
    }
    return scalarText(raw) ?? JSON.stringify(raw);
  }

  /** Fn::GetAtt in its dotted-string or list form. */
  getAtt(arg: unknown, at: string): unknown {
    let id: string | undefined;
    let attribute: string | undefined;
    if (typeof arg === 'string' && arg.includes('.')) {
      id = arg.slice(0, arg.indexOf('.'));
      attribute = arg.slice(arg.indexOf('.') + 1);
    } else if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string') {
      id = arg[0];
      attribute = scalarText(this.resolve(arg[1], childPointer(at, 1)));
    }
    if (!id || !attribute) {
      this.ctx.log.error(at, 'Fn::GetAtt takes "Resource.Attribute" or [Resource, Attribute]');
      return '{{GetAtt}}';
    }
    return this.attribute(id, attribute, at);
  }

  attribute(id: string, attribute: string, at: string): unknown {
    const resource = this.ctx.template.resources.get(id) ?? this.ctx.implicit.get(id);
    if (!resource) {
      this.ctx.log.error(at, `Fn::GetAtt ${id}.${attribute}: no resource ${id} in the template`);
      return `{{GetAtt:${id}.${attribute}}}`;
    }
    const kind = IAM_KIND_OF_TYPE[resource.type];
    if (kind && kind !== 'policy' && attribute === 'Arn') return iamArnOf(this, resource, kind);
    if (kind === 'policy' && attribute === 'PolicyArn') return iamArnOf(this, resource, kind);
    return `{{GetAtt:${id}.${attribute}}}`;
  }

  private findInMap(arg: unknown, at: string, depth: number): unknown {
    const log = this.ctx.log;
    if (!Array.isArray(arg) || arg.length < 3) {
      log.error(at, 'Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]');
      return '{{FindInMap}}';
    }
    const keys = arg.slice(0, 3).map((item, index) => this.resolve(item, childPointer(at, index)));
    const text = keys.map((k) => scalarText(k) ?? '?');
    if (keys.some((k) => isSymbolic(k) || scalarText(k) === undefined)) {
      log.note(at, `Fn::FindInMap ${text.join('.')}: a key is unknown before deploy`);
      return `{{FindInMap:${text.join('.')}}}`;
    }
    const [map, top, second] = text as [string, string, string];
    const level1 = this.ctx.template.mappings[map];
    const level2 = isRecord(level1) ? level1[top] : undefined;
    if (isRecord(level2) && Object.hasOwn(level2, second)) {
      const pointer = childPointer(childPointer(childPointer('/Mappings', map), top), second);
      return this.resolve(level2[second], pointer, undefined, '', depth + 1);
    }
    log.error(at, `Fn::FindInMap: Mappings has no ${map}.${top}.${second}`);
    return `{{FindInMap:${text.join('.')}}}`;
  }
}
