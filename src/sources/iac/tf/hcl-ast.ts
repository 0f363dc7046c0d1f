/** The syntax tree of the HCL expressions keywarden reads (offsets are absolute in the file). */

export type Expr =
  | { kind: 'literal'; value: null | boolean | number | string; start: number; end: number }
  | { kind: 'template'; parts: Array<string | Expr>; stripIndent: boolean; start: number; end: number }
  | { kind: 'tuple'; items: Expr[]; start: number; end: number }
  | { kind: 'object'; items: ObjectItem[]; start: number; end: number }
  | { kind: 'traversal'; root: string; steps: Step[]; start: number; end: number }
  | { kind: 'call'; name: string; args: Expr[]; start: number; end: number }
  | { kind: 'conditional'; test: Expr; then: Expr; otherwise: Expr; start: number; end: number }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; start: number; end: number }
  | { kind: 'unary'; op: string; operand: Expr; start: number; end: number }
  | { kind: 'opaque'; start: number; end: number };

export type Step = { attr: string } | { index: Expr } | { splat: true };

export interface ObjectItem {
  key: Expr;
  keyStart: number;
  value: Expr;
}

export class HclSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function escapedCharacter(text: string, pos: number): string {
  const next = text[pos + 1];
  switch (next) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case '"':
      return '"';
    case '\\':
      return '\\';
    case 'u':
      return String.fromCharCode(Number.parseInt(text.slice(pos + 2, pos + 6), 16));
    case 'U':
      return String.fromCodePoint(Number.parseInt(text.slice(pos + 2, pos + 10), 16));
    default:
      return next ?? '';
  }
}

/** The references (`aws_iam_role.app.arn`, `var.x`, ...) an expression contains, as dotted text. */
export function traversalsOf(expr: Expr, out: string[] = []): string[] {
  switch (expr.kind) {
    case 'traversal': {
      if (expr.root) {
        const path = [expr.root, ...expr.steps.map((s) => ('attr' in s ? s.attr : '[]'))].filter((s) => s !== '[]');
        out.push(path.join('.'));
      }
      for (const step of expr.steps) if ('index' in step) traversalsOf(step.index, out);
      break;
    }
    case 'template':
      for (const part of expr.parts) if (typeof part !== 'string') traversalsOf(part, out);
      break;
    case 'tuple':
      for (const item of expr.items) traversalsOf(item, out);
      break;
    case 'object':
      for (const item of expr.items) traversalsOf(item.value, out);
      break;
    case 'call':
      for (const arg of expr.args) traversalsOf(arg, out);
      break;
    case 'conditional':
      traversalsOf(expr.test, out);
      traversalsOf(expr.then, out);
      traversalsOf(expr.otherwise, out);
      break;
    case 'binary':
      traversalsOf(expr.left, out);
      traversalsOf(expr.right, out);
      break;
    case 'unary':
      traversalsOf(expr.operand, out);
      break;
  }
  return out;
}
