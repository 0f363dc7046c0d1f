/** CloudFormation Conditions: true, false, or undecided (depends on values unknown before deploy). */
import { childPointer } from '../pointer';
import { isSymbolic, scalarText } from '../values';
import type { ValueResolver } from './context';
import { isRecord } from './template';

const MAX_CHAIN = 200;

export class Conditions {
  private readonly memo = new Map<string, boolean | undefined>();
  private readonly stack: string[] = [];

  constructor(private readonly resolver: ValueResolver) {}

  /** The value of a named condition; undefined when undecidable or broken (broken ones are logged). */
  byName(name: unknown, at: string): boolean | undefined {
    const log = this.resolver.ctx.log;
    if (typeof name !== 'string') {
      log.error(at, 'a condition name must be a string naming an entry of the Conditions section');
      return undefined;
    }
    if (this.memo.has(name)) return this.memo.get(name);
    const definitions = this.resolver.ctx.template.conditions;
    if (!Object.hasOwn(definitions, name)) {
      log.error(at, `condition ${name} is not defined: add it to the Conditions section or fix the name`);
      return undefined;
    }
    const pointer = childPointer('/Conditions', name);
    const cycleStart = this.stack.indexOf(name);
    if (cycleStart >= 0) {
      const cycle = [...this.stack.slice(cycleStart), name].join(' -> ');
      log.error(pointer, `circular condition: ${cycle}; a condition cannot depend on itself`);
      return undefined;
    }
    if (this.stack.length >= MAX_CHAIN) {
      log.error(pointer, `conditions refer to each other more than ${MAX_CHAIN} levels deep`);
      return undefined;
    }
    this.stack.push(name);
    const value = this.expression(definitions[name], pointer);
    this.stack.pop();
    this.memo.set(name, value);
    return value;
  }

  /** Evaluates a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition). */
  expression(value: unknown, at: string): boolean | undefined {
    const log = this.resolver.ctx.log;
    if (typeof value === 'boolean') return value;
    if (!isRecord(value) || Object.keys(value).length !== 1) {
      log.error(at, 'a condition must be one of Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition');
      return undefined;
    }
    const [fn, arg] = Object.entries(value)[0] as [string, unknown];
    const here = childPointer(at, fn);
    if (fn === 'Condition') return this.byName(arg, here);
    if (fn === 'Fn::Equals') {
      if (!Array.isArray(arg) || arg.length !== 2) {
        log.error(here, 'Fn::Equals takes a list of exactly two values');
        return undefined;
      }
      const left = this.resolver.resolve(arg[0], childPointer(here, 0));
      const right = this.resolver.resolve(arg[1], childPointer(here, 1));
      if (isSymbolic(left) || isSymbolic(right)) return undefined;
      const l = scalarText(left) ?? JSON.stringify(left);
      const r = scalarText(right) ?? JSON.stringify(right);
      return l === r;
    }
    if (fn === 'Fn::And' || fn === 'Fn::Or' || fn === 'Fn::Not') {
      if (!Array.isArray(arg) || arg.length === 0 || (fn === 'Fn::Not' && arg.length !== 1)) {
        log.error(
          here,
          fn === 'Fn::Not' ? 'Fn::Not takes a list of one condition' : `${fn} takes a list of conditions`,
        );
        return undefined;
      }
      const parts = arg.map((item, index) => this.expression(item, childPointer(here, index)));
      if (fn === 'Fn::Not') return parts[0] === undefined ? undefined : !parts[0];
      if (fn === 'Fn::And') {
        if (parts.includes(false)) return false;
        return parts.every((p) => p === true) ? true : undefined;
      }
      if (parts.includes(true)) return true;
      return parts.every((p) => p === false) ? false : undefined;
    }
    log.error(here, `${fn} cannot be used in a condition: use Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition`);
    return undefined;
  }
}
