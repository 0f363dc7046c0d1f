/** Fn::Sub: `${Param}`, `${AWS::Region}`, `${Resource.Attribute}`, `${!Literal}` and the variable-map form. */
import { childPointer } from '../pointer';
import { NO_VALUE, scalarText } from '../values';
import type { ReferenceResolver } from './context';
import { isRecord } from './template';

export function substitute(resolver: ReferenceResolver, arg: unknown, at: string): unknown {
  const log = resolver.ctx.log;
  let text: unknown = arg;
  let variables: Record<string, unknown> = {};
  if (Array.isArray(arg)) {
    if (arg.length !== 2 || !isRecord(arg[1])) {
      log.error(at, 'Fn::Sub takes a string, or [string, {Name: value}]');
      return '{{Sub}}';
    }
    text = arg[0];
    variables = arg[1];
  }
  if (typeof text !== 'string') {
    log.error(at, 'Fn::Sub needs a string to substitute into');
    return '{{Sub}}';
  }
  return text.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    let value: unknown;
    if (Object.hasOwn(variables, name)) {
      value = resolver.resolve(variables[name], childPointer(childPointer(at, 1), name), undefined, '');
    } else if (name.includes('.') && !name.startsWith('AWS::')) {
      const dot = name.indexOf('.');
      value = resolver.attribute(name.slice(0, dot), name.slice(dot + 1), at);
    } else {
      value = resolver.ref(name, at);
    }
    if (value === NO_VALUE) return '';
    const scalar = scalarText(value);
    if (scalar !== undefined) return scalar;
    log.note(at, `Fn::Sub variable ${name} is not a single value before deploy`);
    return `{{Sub:${name}}}`;
  });
}
