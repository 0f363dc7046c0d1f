/**
 * Evaluates parsed HCL expressions into plain JSON values. Anything unknown before apply (an unset variable, a
 * resource attribute such as `aws_kms_key.main.arn`, an unsupported function) becomes the symbolic text
 * `{{<expression>}}`. A trail records the source offset of each object item and tuple element (for positions).
 */
import { childPointer } from '../pointer';
import type { Expr, Step } from './hcl-ast';

export type PathStep = string | number;

export interface EvalScope {
  /** The value a reference names (`var.x`, `aws_iam_role.r.arn`, ...), or undefined when unknown. */
  reference(root: string, steps: PathStep[], at: number): unknown;
  note(at: number, message: string): void;
}

export type OffsetTrail = Map<string, number>;

const SYMBOLIC = /^\{\{.*\}\}$/s;
const MAX_DEPTH = 200;

export function isSymbolicText(value: unknown): value is string {
  return typeof value === 'string' && SYMBOLIC.test(value);
}

export class Evaluator {
  private depth = 0;

  constructor(
    private readonly scope: EvalScope,
    private readonly text: string,
    private readonly base: number,
  ) {}

  private source(expr: Expr): string {
    return this.text.slice(expr.start - this.base, expr.end - this.base).trim();
  }

  private symbol(expr: Expr): string {
    return `{{${this.source(expr).replace(/\s+/g, ' ')}}}`;
  }

  evaluate(expr: Expr, trail?: OffsetTrail, out = ''): unknown {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      return this.symbol(expr);
    }
    try {
      trail?.set(out, expr.start);
      return this.evaluateNode(expr, trail, out);
    } finally {
      this.depth--;
    }
  }

  private evaluateNode(expr: Expr, trail: OffsetTrail | undefined, out: string): unknown {
    switch (expr.kind) {
      case 'literal':
        return expr.value;
      case 'template':
        return this.template(expr.parts, expr.stripIndent);
      case 'tuple':
        return expr.items.map((item, index) => this.evaluate(item, trail, childPointer(out, index)));
      case 'object': {
        const result: Record<string, unknown> = {};
        for (const item of expr.items) {
          const key = this.objectKey(item.key);
          trail?.set(childPointer(out, key), item.keyStart);
          result[key] = this.evaluate(item.value, trail, childPointer(out, key));
          trail?.set(childPointer(out, key), item.keyStart);
        }
        return result;
      }
      case 'traversal':
        return this.traversal(expr);
      case 'call':
        return this.call(expr);
      case 'conditional': {
        const test = this.evaluate(expr.test);
        if (test === true) return this.evaluate(expr.then, trail, out);
        if (test === false) return this.evaluate(expr.otherwise, trail, out);
        this.scope.note(expr.start, `the condition ${this.source(expr.test)} is unknown before apply`);
        return this.symbol(expr);
      }
      case 'binary':
        return this.binary(expr);
      case 'unary': {
        const operand = this.evaluate(expr.operand);
        if (expr.op === '!' && typeof operand === 'boolean') return !operand;
        if (expr.op === '-' && typeof operand === 'number') return -operand;
        return this.symbol(expr);
      }
      case 'opaque':
        this.scope.note(expr.start, `${this.source(expr).slice(0, 40)} is not evaluated by keywarden`);
        return this.symbol(expr);
    }
  }

  private objectKey(key: Expr): string {
    if (key.kind === 'traversal' && key.root && key.steps.length === 0) return key.root;
    const value = this.evaluate(key);
    return typeof value === 'string' ? value : String(value);
  }

  template(parts: Array<string | Expr>, stripIndent: boolean): unknown {
    if (parts.length === 1 && typeof parts[0] !== 'string') {
      const only = parts[0] as Expr;
      return this.evaluate(only); // "${x}" keeps the type of x
    }
    let text = '';
    for (const part of parts) {
      if (typeof part === 'string') text += part;
      else {
        const value = this.evaluate(part);
        if (typeof value === 'string') text += value;
        else if (typeof value === 'number' || typeof value === 'boolean') text += String(value);
        else if (value !== null) text += this.symbol(part);
      }
    }
    if (!stripIndent) return text;
    const lines = text.split('\n');
    const indents = lines.filter((l) => l.trim() !== '').map((l) => (/^[ \t]*/.exec(l) as RegExpExecArray)[0].length);
    const strip = indents.length > 0 ? Math.min(...indents) : 0;
    return lines.map((l) => l.slice(Math.min(strip, (/^[ \t]*/.exec(l) as RegExpExecArray)[0].length))).join('\n');
  }

  private traversal(expr: Extract<Expr, { kind: 'traversal' }>): unknown {
    if (!expr.root) return this.symbol(expr);
    const steps: PathStep[] = [];
    for (const step of expr.steps) {
      const resolved = this.stepValue(step);
      if (resolved === undefined) return this.symbol(expr);
      steps.push(resolved);
    }
    const value = this.scope.reference(expr.root, steps, expr.start);
    return value === undefined ? this.symbol(expr) : value;
  }

  private stepValue(step: Step): PathStep | undefined {
    if ('attr' in step) return step.attr;
    if ('splat' in step) return undefined;
    const index = this.evaluate(step.index);
    return typeof index === 'number' || (typeof index === 'string' && !isSymbolicText(index)) ? index : undefined;
  }

  private binary(expr: Extract<Expr, { kind: 'binary' }>): unknown {
    const left = this.evaluate(expr.left);
    const right = this.evaluate(expr.right);
    if (isSymbolicText(left) || isSymbolicText(right)) return this.symbol(expr);
    switch (expr.op) {
      case '==':
        return JSON.stringify(left) === JSON.stringify(right);
      case '!=':
        return JSON.stringify(left) !== JSON.stringify(right);
      case '&&':
      case '||':
        if (typeof left !== 'boolean' || typeof right !== 'boolean') return this.symbol(expr);
        return expr.op === '&&' ? left && right : left || right;
    }
    if (typeof left !== 'number' || typeof right !== 'number') return this.symbol(expr);
    const arithmetic: Record<string, () => unknown> = {
      '+': () => left + right,
      '-': () => left - right,
      '*': () => left * right,
      '/': () => left / right,
      '%': () => left % right,
      '<': () => left < right,
      '>': () => left > right,
      '<=': () => left <= right,
      '>=': () => left >= right,
    };
    return arithmetic[expr.op]?.() ?? this.symbol(expr);
  }

  private call(expr: Extract<Expr, { kind: 'call' }>): unknown {
    const args = expr.args.map((arg) => this.evaluate(arg));
    const known = args.every((arg) => !isSymbolicText(arg));
    const strings = args.map((arg) => (typeof arg === 'string' ? arg : undefined));
    const lists = args.map((arg) => (Array.isArray(arg) ? arg : undefined));
    switch (expr.name) {
      case 'jsonencode':
        return isSymbolicText(args[0]) ? this.symbol(expr) : JSON.stringify(args[0]);
      case 'jsondecode':
        if (typeof args[0] === 'string' && known) {
          try {
            return JSON.parse(args[0]);
          } catch {
            this.scope.note(expr.start, 'jsondecode of text that is not valid JSON');
          }
        }
        return this.symbol(expr);
      case 'tolist':
      case 'toset':
      case 'tomap':
        return args[0];
      case 'tostring':
        return typeof args[0] === 'number' || typeof args[0] === 'boolean' ? String(args[0]) : args[0];
      case 'lower':
      case 'upper':
        if (strings[0] === undefined || !known) return this.symbol(expr);
        return expr.name === 'lower' ? strings[0].toLowerCase() : strings[0].toUpperCase();
      case 'join':
        if (strings[0] !== undefined && lists[1] && known) return lists[1].map((item) => String(item)).join(strings[0]);
        return this.symbol(expr);
      case 'split':
        if (strings[0] !== undefined && strings[1] !== undefined && known) return strings[1].split(strings[0]);
        return this.symbol(expr);
      case 'concat':
        return lists.every((l) => l !== undefined) ? lists.flatMap((l) => l as unknown[]) : this.symbol(expr);
      case 'flatten':
        return lists[0] ? lists[0].flat(Number.POSITIVE_INFINITY) : this.symbol(expr);
      case 'compact':
        return lists[0] ? lists[0].filter((item) => item !== null && item !== '') : this.symbol(expr);
      case 'distinct':
        return lists[0] ? [...new Set(lists[0])] : this.symbol(expr);
      case 'merge':
        if (args.every((arg) => typeof arg === 'object' && arg !== null && !Array.isArray(arg))) {
          return Object.assign({}, ...(args as object[]));
        }
        return this.symbol(expr);
      case 'coalesce':
        return args.find((arg) => arg !== null && arg !== '') ?? this.symbol(expr);
      case 'replace':
        if (strings.slice(0, 3).every((s) => s !== undefined) && known && !strings[1]?.startsWith('/')) {
          return (strings[0] as string).split(strings[1] as string).join(strings[2] as string);
        }
        return this.symbol(expr);
      case 'format':
        if (strings[0] !== undefined && known) {
          let index = 1;
          return strings[0].replace(/%[sd%]/g, (m) => (m === '%%' ? '%' : String(args[index++] ?? '')));
        }
        return this.symbol(expr);
      default:
        this.scope.note(expr.start, `function ${expr.name}() is not evaluated by keywarden: its value stays symbolic`);
        return this.symbol(expr);
    }
  }
}

/** Applies the remaining steps of a reference (attributes and indexes) to a known value. */
export function applySteps(value: unknown, steps: PathStep[]): unknown {
  let current = value;
  for (const step of steps) {
    if (Array.isArray(current) && typeof step === 'number') current = current[step];
    else if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
      current = (current as Record<string, unknown>)[String(step)];
    } else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}
