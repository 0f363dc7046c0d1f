import { createScanner } from 'jsonc-parser';

/**
 * Where a text stops being JSON, and why. Node's JSON.parse does not say where it failed, so the text is scanned
 * again with jsonc-parser's (non-recursive) scanner and a small explicit-stack grammar: 10,000-deep nesting is fine.
 */

// jsonc-parser SyntaxKind / ScanError values (const enums cannot be imported under isolatedModules).
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const COMMA = 5;
const COLON = 6;
const NULL = 7;
const TRUE = 8;
const FALSE = 9;
const STRING = 10;
const NUMBER = 11;
const LINE_COMMENT = 12;
const BLOCK_COMMENT = 13;
const LINE_BREAK = 14;
const TRIVIA = 15;
const EOF = 17;

const SCAN_ERRORS: Record<number, string> = {
  1: 'a comment is not closed',
  2: 'a string is not closed (missing ")',
  3: 'a number is incomplete',
  4: 'a \\u escape is not four hex digits',
  5: 'an invalid escape sequence in a string',
  6: 'a control character inside a string (escape it, e.g. \\n)',
};

export interface SyntaxProblem {
  offset: number;
  message: string;
}

type State = 'value' | 'valueOrEnd' | 'keyOrEnd' | 'key' | 'colon' | 'after' | 'end';

export function findSyntaxError(text: string): SyntaxProblem | undefined {
  const scanner = createScanner(text, false);
  const stack: number[] = []; // OPEN_BRACE or OPEN_BRACKET
  let state: State = 'value';
  for (;;) {
    const token = scanner.scan();
    if (token === TRIVIA || token === LINE_BREAK) continue;
    const offset = scanner.getTokenOffset();
    const scanError = scanner.getTokenError();
    if (scanError !== 0) return { offset, message: `Malformed JSON: ${SCAN_ERRORS[scanError] ?? 'invalid text'}.` };
    if (token === LINE_COMMENT || token === BLOCK_COMMENT) {
      return { offset, message: 'Malformed JSON: comments are not allowed in JSON; remove the comment.' };
    }
    if (token === EOF) {
      if (state === 'end') return undefined;
      return { offset, message: 'Malformed JSON: the text ends before the JSON value is complete.' };
    }
    const found = describeToken(token, scanner.getTokenValue(), text, offset);
    const afterValue = (): State => (stack.length === 0 ? 'end' : 'after');
    switch (state) {
      case 'end':
        return { offset, message: `Malformed JSON: unexpected ${found} after the end of the JSON value.` };
      case 'colon':
        if (token !== COLON)
          return { offset, message: `Malformed JSON: expected ':' after the property name, found ${found}.` };
        state = 'value';
        continue;
      case 'keyOrEnd':
      case 'key':
        if (token === STRING) {
          state = 'colon';
          continue;
        }
        if (token === CLOSE_BRACE && state === 'keyOrEnd') {
          stack.pop();
          state = afterValue();
          continue;
        }
        return {
          offset,
          message:
            state === 'key' && token === CLOSE_BRACE
              ? "Malformed JSON: a trailing comma before '}'; remove the comma."
              : `Malformed JSON: expected a property name in double quotes, found ${found}.`,
        };
      case 'after': {
        const inObject = stack[stack.length - 1] === OPEN_BRACE;
        if (token === COMMA) {
          state = inObject ? 'key' : 'value';
          continue;
        }
        if ((inObject && token === CLOSE_BRACE) || (!inObject && token === CLOSE_BRACKET)) {
          stack.pop();
          state = afterValue();
          continue;
        }
        return { offset, message: `Malformed JSON: expected ',' or '${inObject ? '}' : ']'}', found ${found}.` };
      }
      case 'valueOrEnd':
      case 'value':
        if (token === CLOSE_BRACKET && state === 'valueOrEnd') {
          stack.pop();
          state = afterValue();
          continue;
        }
        if (token === OPEN_BRACE) {
          stack.push(OPEN_BRACE);
          state = 'keyOrEnd';
          continue;
        }
        if (token === OPEN_BRACKET) {
          stack.push(OPEN_BRACKET);
          state = 'valueOrEnd';
          continue;
        }
        if (token === STRING || token === NUMBER || token === TRUE || token === FALSE || token === NULL) {
          state = afterValue();
          continue;
        }
        return {
          offset,
          message:
            token === CLOSE_BRACKET && state === 'value' && stack.length > 0
              ? "Malformed JSON: a trailing comma before ']'; remove the comma."
              : `Malformed JSON: expected a value, found ${found}.`,
        };
    }
  }
}

function describeToken(token: number, value: string, text: string, offset: number): string {
  switch (token) {
    case OPEN_BRACE:
      return "'{'";
    case CLOSE_BRACE:
      return "'}'";
    case OPEN_BRACKET:
      return "'['";
    case CLOSE_BRACKET:
      return "']'";
    case COMMA:
      return "','";
    case COLON:
      return "':'";
    case STRING:
      return 'a string';
    case NUMBER:
      return 'a number';
    case TRUE:
    case FALSE:
    case NULL:
      return `'${value}'`;
    default: {
      const c = text.codePointAt(offset);
      const shown =
        c === undefined ? '' : c < 32 || c === 127 ? `U+${c.toString(16).padStart(4, '0')}` : String.fromCodePoint(c);
      return `the character '${shown}'${shown === "'" ? ' (JSON strings use double quotes)' : ''}`;
    }
  }
}
