import { type Expr, escapedCharacter, HclSyntaxError, type ObjectItem, type Step } from './hcl-ast';

/**
 * A parser for the subset of HCL expressions keywarden evaluates: literals, string templates and heredocs,
 * tuples, objects, references (`aws_iam_role.app.arn`, `var.x`, `local.y[0]`), function calls, conditionals and
 * operators. `for` expressions and template directives are kept as opaque text. Offsets are absolute in the file.
 */

const PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 4,
  '>': 4,
  '<=': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};
const MAX_DEPTH = 200;

/** Parses the expression that starts at `offset` of `text` (`base` is added to all offsets). */
export function parseExpression(text: string, offset = 0, base = 0): Expr {
  return new Parser(text, offset, base).expressionOnly();
}

/** Parses a string that hcl2json already unquoted: literal text with `${...}` interpolations. */
export function parseTemplateContent(text: string, base = 0): Expr {
  const parser = new Parser(text, 0, base);
  return parser.templateBody(text.length, false);
}

class Parser {
  private newlineEnds = false;
  private depth = 0;

  constructor(
    private readonly text: string,
    private pos: number,
    private readonly base: number,
  ) {}

  expressionOnly(): Expr {
    const expr = this.expression();
    this.space(true);
    return expr;
  }

  private fail(message: string): never {
    throw new HclSyntaxError(message, this.pos + this.base);
  }

  private at(offset: number): number {
    return offset + this.base;
  }

  /** Skips blanks and comments; newlines too unless they end the current object item. */
  private space(allowNewline = !this.newlineEnds): boolean {
    let sawNewline = false;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '\n') {
        if (!allowNewline) return true;
        sawNewline = true;
        this.pos++;
      } else if (c === ' ' || c === '\t' || c === '\r') this.pos++;
      else if (c === '#' || (c === '/' && this.text[this.pos + 1] === '/')) {
        const end = this.text.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.text.length : end;
      } else if (c === '/' && this.text[this.pos + 1] === '*') {
        const end = this.text.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? this.text.length : end + 2;
      } else break;
    }
    return sawNewline;
  }

  private peek(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  private expect(s: string): void {
    this.space();
    if (!this.peek(s)) this.fail(`expected ${s}`);
    this.pos += s.length;
  }

  private withNewlines<T>(ends: boolean, f: () => T): T {
    const saved = this.newlineEnds;
    this.newlineEnds = ends;
    try {
      return f();
    } finally {
      this.newlineEnds = saved;
    }
  }

  expression(): Expr {
    if (++this.depth > MAX_DEPTH) this.fail('expression nests too deeply');
    try {
      const start = this.pos;
      const test = this.binary(1);
      this.space();
      if (this.peek('?')) {
        this.pos++;
        const then = this.withNewlines(false, () => this.expression());
        this.expect(':');
        const otherwise = this.expression();
        return { kind: 'conditional', test, then, otherwise, start: this.at(start), end: this.at(this.pos) };
      }
      return test;
    } finally {
      this.depth--;
    }
  }

  private operator(): string | undefined {
    for (const op of ['||', '&&', '==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '%']) {
      if (this.peek(op) && !(op === '<' && this.peek('<<'))) return op;
    }
    return undefined;
  }

  private binary(min: number): Expr {
    const start = this.pos;
    let left = this.unary();
    for (;;) {
      const saved = this.pos;
      this.space();
      const op = this.operator();
      const precedence = op ? (PRECEDENCE[op] as number) : 0;
      if (!op || precedence < min) {
        this.pos = saved;
        return left;
      }
      this.pos += op.length;
      const right = this.binary(precedence + 1);
      left = { kind: 'binary', op, left, right, start: this.at(start), end: this.at(this.pos) };
    }
  }

  private unary(): Expr {
    this.space();
    const start = this.pos;
    if (this.peek('!') || (this.peek('-') && !/\d/.test(this.text[this.pos + 1] ?? ''))) {
      const op = this.text[this.pos] as string;
      this.pos++;
      const operand = this.unary();
      return { kind: 'unary', op, operand, start: this.at(start), end: this.at(this.pos) };
    }
    return this.postfix(this.primary());
  }

  private postfix(expr: Expr): Expr {
    let current = expr;
    for (;;) {
      if (this.peek('.*') || this.peek('[*]')) {
        this.pos += this.peek('.*') ? 2 : 3;
        current = this.step(current, { splat: true });
      } else if (this.peek('.') && /[A-Za-z_0-9]/.test(this.text[this.pos + 1] ?? '')) {
        this.pos++;
        const name = /[A-Za-z_][A-Za-z0-9_-]*|\d+/y;
        name.lastIndex = this.pos;
        const found = name.exec(this.text);
        if (!found) this.fail('expected an attribute name');
        this.pos = name.lastIndex;
        current = this.step(current, { attr: found[0] });
      } else if (this.peek('[')) {
        this.pos++;
        const index = this.withNewlines(false, () => this.expression());
        this.expect(']');
        current = this.step(current, { index });
      } else return current;
    }
  }

  private step(expr: Expr, step: Step): Expr {
    if (expr.kind === 'traversal') return { ...expr, steps: [...expr.steps, step], end: this.at(this.pos) };
    return { kind: 'traversal', root: '', steps: [{ index: expr }, step], start: expr.start, end: this.at(this.pos) };
  }

  private primary(): Expr {
    this.space();
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === undefined) this.fail('expected an expression');
    if (c === '"') {
      this.pos++;
      return this.templateBody(this.text.length, true);
    }
    if (this.peek('<<')) return this.heredoc();
    if (/\d/.test(c) || (c === '-' && /\d/.test(this.text[this.pos + 1] ?? ''))) {
      const number = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
      number.lastIndex = this.pos;
      const found = number.exec(this.text) as RegExpExecArray;
      this.pos = number.lastIndex;
      return { kind: 'literal', value: Number(found[0]), start: this.at(start), end: this.at(this.pos) };
    }
    if (c === '(') {
      this.pos++;
      const inner = this.withNewlines(false, () => this.expression());
      this.expect(')');
      return inner;
    }
    if (c === '[' || c === '{') return this.collection(c);
    const name = /[A-Za-z_][A-Za-z0-9_-]*(::[A-Za-z_][A-Za-z0-9_-]*)*/y;
    name.lastIndex = this.pos;
    const found = name.exec(this.text);
    if (!found) this.fail(`unexpected character ${c}`);
    this.pos = name.lastIndex;
    const word = found[0];
    if (word === 'true' || word === 'false') {
      return { kind: 'literal', value: word === 'true', start: this.at(start), end: this.at(this.pos) };
    }
    if (word === 'null') return { kind: 'literal', value: null, start: this.at(start), end: this.at(this.pos) };
    if (this.peek('(')) {
      this.pos++;
      const args = this.withNewlines(false, () => this.list(')'));
      return { kind: 'call', name: word, args, start: this.at(start), end: this.at(this.pos) };
    }
    return { kind: 'traversal', root: word, steps: [], start: this.at(start), end: this.at(this.pos) };
  }

  /** Comma-separated expressions up to `close` (a trailing comma and `...` expansion allowed). */
  private list(close: string): Expr[] {
    const items: Expr[] = [];
    for (;;) {
      this.space();
      if (this.peek(close)) {
        this.pos++;
        return items;
      }
      items.push(this.expression());
      this.space();
      if (this.peek('...')) this.pos += 3;
      this.space();
      if (this.peek(',')) this.pos++;
      else if (!this.peek(close)) this.fail(`expected , or ${close}`);
    }
  }

  private collection(open: '[' | '{'): Expr {
    const start = this.pos;
    this.pos++;
    this.space(true);
    if (/^for\s/.test(this.text.slice(this.pos, this.pos + 4))) {
      this.pos = start;
      this.skipBalanced();
      return { kind: 'opaque', start: this.at(start), end: this.at(this.pos) };
    }
    if (open === '[') {
      const items = this.withNewlines(false, () => this.list(']'));
      return { kind: 'tuple', items, start: this.at(start), end: this.at(this.pos) };
    }
    const items: ObjectItem[] = [];
    for (;;) {
      this.space(true);
      if (this.peek('}')) {
        this.pos++;
        return { kind: 'object', items, start: this.at(start), end: this.at(this.pos) };
      }
      const keyStart = this.pos;
      const key = this.withNewlines(false, () => this.unary());
      this.space(false);
      if (this.peek('=') || this.peek(':')) this.pos++;
      else this.fail('expected = or : after an object key');
      const value = this.withNewlines(true, () => this.expression());
      items.push({ key, keyStart: this.at(keyStart), value });
      this.space(false);
      if (this.peek(',')) this.pos++;
    }
  }

  private skipBalanced(): void {
    const open = this.text[this.pos] as string;
    const close = open === '[' ? ']' : open === '{' ? '}' : ')';
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '"') {
        this.pos++;
        this.templateBody(this.text.length, true);
        continue;
      }
      if (c === open) depth++;
      else if (c === close && --depth === 0) {
        this.pos++;
        return;
      }
      this.pos++;
    }
    this.fail(`missing ${close}`);
  }

  /** A quoted string (after its opening quote) or unquoted template content, up to `limit`. */
  templateBody(limit: number, quoted: boolean): Expr {
    const start = quoted ? this.pos - 1 : this.pos;
    const parts: Array<string | Expr> = [];
    let literal = '';
    while (this.pos < limit) {
      const c = this.text[this.pos] as string;
      if (quoted && c === '"') {
        this.pos++;
        break;
      }
      if (quoted && c === '\n') this.fail('unterminated string');
      if (quoted && c === '\\') {
        literal += escapedCharacter(this.text, this.pos);
        this.pos += this.text[this.pos + 1] === 'u' ? 6 : this.text[this.pos + 1] === 'U' ? 10 : 2;
      } else if ((c === '$' || c === '%') && this.text[this.pos + 1] === c && this.text[this.pos + 2] === '{') {
        literal += `${c}{`;
        this.pos += 3;
      } else if (c === '$' && this.text[this.pos + 1] === '{') {
        if (literal) parts.push(literal);
        literal = '';
        this.pos += 2;
        if (this.peek('~')) this.pos++;
        const inner = this.withNewlines(false, () => this.expression());
        this.space(true);
        if (this.peek('~')) this.pos++;
        this.expect('}');
        parts.push(inner);
      } else if (c === '%' && this.text[this.pos + 1] === '{') {
        if (literal) parts.push(literal);
        literal = '';
        const directiveStart = this.pos;
        const end = this.text.indexOf('}', this.pos);
        this.pos = end < 0 ? limit : end + 1;
        parts.push({ kind: 'opaque', start: this.at(directiveStart), end: this.at(this.pos) });
      } else {
        literal += c;
        this.pos++;
      }
    }
    if (literal) parts.push(literal);
    return { kind: 'template', parts, stripIndent: false, start: this.at(start), end: this.at(this.pos) };
  }

  private heredoc(): Expr {
    const header = /<<(-?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/y;
    header.lastIndex = this.pos;
    const found = header.exec(this.text);
    if (!found) this.fail('invalid heredoc');
    const bodyStart = header.lastIndex;
    const terminator = new RegExp(`^[ \\t]*${found[2]}[ \\t]*\\r?$`, 'm');
    const rest = this.text.slice(bodyStart);
    const match = terminator.exec(rest);
    const bodyEnd = match ? bodyStart + match.index : this.text.length;
    this.pos = bodyStart;
    const body = this.templateBody(bodyEnd, false);
    this.pos = match ? bodyEnd + match[0].length : this.text.length;
    if (body.kind === 'template') return { ...body, stripIndent: found[1] === '-', start: this.at(bodyStart) };
    return body;
  }
}
