/** JSON text -> plain value and the line/column of every JSON pointer (jsonc-parser, strict JSON). */
import { getNodeValue, type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { ParsedSource, SourceError } from './parsed-source';
import { childPointer } from './pointer';
import { LineIndex, type Position, PositionMap } from './positions';

export interface JsonParseOptions {
  allowTrailingComma?: boolean;
  /** Position of an offset of `text` in the file (when the text is embedded, e.g. a Terraform heredoc). */
  positionOf?: (offset: number) => Position;
}

export function parseJsonSource(
  text: string,
  options: JsonParseOptions = {},
): ParsedSource & { lenientErrors: SourceError[] } {
  const lines = options.positionOf ? undefined : new LineIndex(text);
  const at = (offset: number): Position =>
    options.positionOf ? options.positionOf(offset) : (lines as LineIndex).position(offset);
  const positions = new PositionMap();
  const strictErrors: ParseError[] = [];
  const tree = parseTree(text, strictErrors, { disallowComments: true, allowTrailingComma: false });
  const describe = (errs: ParseError[]): SourceError[] =>
    errs.map((e) => ({ message: `invalid JSON: ${describeCode(printParseErrorCode(e.error))}`, ...at(e.offset) }));
  let errors = describe(strictErrors);
  let lenientErrors: SourceError[] = [];
  let root = tree;
  if (errors.length > 0 && options.allowTrailingComma) {
    const lenient: ParseError[] = [];
    const retry = parseTree(text, lenient, { disallowComments: false, allowTrailingComma: true });
    if (lenient.length === 0 && retry) {
      lenientErrors = errors;
      errors = [];
      root = retry;
    }
  }
  if (errors.length > 0 || !root) {
    if (errors.length === 0) errors = [{ message: 'invalid JSON: the text is empty' }];
    return { value: undefined, positions, errors, problems: [], lenientErrors };
  }
  const walk = (node: Node, pointer: string): void => {
    if (node.type === 'object') {
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (!key || !value) continue;
        const child = childPointer(pointer, String(key.value));
        positions.set(child, at(property.offset));
        walk(value, child);
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((item, index) => {
        const child = childPointer(pointer, index);
        positions.set(child, at(item.offset));
        walk(item, child);
      });
    }
  };
  positions.set('', at(root.offset));
  walk(root, '');
  return { value: getNodeValue(root), positions, errors: [], problems: [], lenientErrors };
}

function describeCode(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'property name expected',
    ValueExpected: 'value expected',
    ColonExpected: 'colon expected',
    CommaExpected: 'comma expected',
    CloseBraceExpected: 'closing brace expected',
    CloseBracketExpected: 'closing bracket expected',
    EndOfFileExpected: 'end of text expected (trailing characters)',
    InvalidCommentToken: 'comments are not allowed in JSON',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character',
  };
  return words[code] ?? code;
}
