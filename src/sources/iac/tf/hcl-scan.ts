/**
 * A light scan of HCL source for positions: where each block and attribute starts, the blocks nested in a block
 * (in source order) and the comments inside it. Values are read by @cdktf/hcl2json; this scan only locates them.
 */

export interface HclAttribute {
  name: string;
  /** Offset of the attribute name. */
  start: number;
  /** Offset of the first character of the value expression. */
  valueStart: number;
  valueEnd: number;
}

export interface HclBlock {
  type: string;
  labels: string[];
  start: number;
  end: number;
  attributes: Map<string, HclAttribute>;
  blocks: HclBlock[];
  /** Comment texts inside the block and on the lines directly above it. */
  comments: string[];
}

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;

export function scanHcl(text: string): HclBlock[] {
  const root: HclBlock = {
    type: '',
    labels: [],
    start: 0,
    end: text.length,
    attributes: new Map(),
    blocks: [],
    comments: [],
  };
  let i = 0;
  let pendingComments: string[] = [];

  const skipSpace = (stopAtNewline: boolean, into?: string[]): void => {
    while (i < text.length) {
      const c = text[i];
      if (c === '\n' && stopAtNewline) return;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
      else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
        const end = text.indexOf('\n', i);
        const stop = end < 0 ? text.length : end;
        into?.push(text.slice(i, stop));
        i = stop;
      } else if (c === '/' && text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2);
        const stop = end < 0 ? text.length : end + 2;
        into?.push(text.slice(i, stop));
        i = stop;
      } else return;
    }
  };

  const skipString = (): void => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i += 2;
      else if ((text[i] === '$' || text[i] === '%') && text[i + 1] === '{' && text[i - 1] !== text[i]) {
        i += 2;
        skipUntilClose('}');
      } else if (text[i] === '\n')
        return; // unterminated: stop at the line end
      else i++;
    }
    i++;
  };

  const skipHeredoc = (): boolean => {
    const match = /<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/y;
    match.lastIndex = i;
    const found = match.exec(text);
    if (!found) return false;
    i = match.lastIndex;
    const terminator = found[1] as string;
    while (i < text.length) {
      const lineEnd = text.indexOf('\n', i);
      const stop = lineEnd < 0 ? text.length : lineEnd;
      const line = text.slice(i, stop).trim();
      i = stop < text.length ? stop + 1 : stop;
      if (line === terminator) return true;
    }
    return true;
  };

  /** Skips an expression until the closing character at depth 0 (used inside brackets and templates). */
  const skipUntilClose = (close: string): void => {
    while (i < text.length) {
      const c = text[i] as string;
      if (c === close) {
        i++;
        return;
      }
      if (c === '"') skipString();
      else if (c === '<' && text[i + 1] === '<' && skipHeredoc()) continue;
      else if (c === '{') {
        i++;
        skipUntilClose('}');
      } else if (c === '[') {
        i++;
        skipUntilClose(']');
      } else if (c === '(') {
        i++;
        skipUntilClose(')');
      } else if (c === '#' || (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*'))) skipSpace(false);
      else i++;
    }
  };

  /** Skips an attribute value: to the end of the line at depth 0, or to the `}` closing the enclosing block. */
  const skipValue = (): void => {
    while (i < text.length) {
      const c = text[i] as string;
      if (c === '\n' || c === '}') return;
      if (c === '"') skipString();
      else if (c === '<' && text[i + 1] === '<' && skipHeredoc()) return;
      else if (c === '{') {
        i++;
        skipUntilClose('}');
      } else if (c === '[') {
        i++;
        skipUntilClose(']');
      } else if (c === '(') {
        i++;
        skipUntilClose(')');
      } else if (c === '#' || (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*'))) return;
      else i++;
    }
  };

  const readBody = (block: HclBlock, depth: number): void => {
    while (i < text.length) {
      if (depth === 0) pendingComments = [];
      skipSpace(false, depth === 0 ? pendingComments : block.comments);
      if (i >= text.length) return;
      if (text[i] === '}') {
        i++;
        return;
      }
      IDENT.lastIndex = i;
      const ident = IDENT.exec(text);
      if (!ident) {
        i++; // not something this scan understands: move on
        continue;
      }
      const start = i;
      i = IDENT.lastIndex;
      skipSpace(true);
      if (text[i] === '=' && text[i + 1] !== '=') {
        i++;
        skipSpace(true);
        const valueStart = i;
        skipValue();
        if (!block.attributes.has(ident[0])) {
          block.attributes.set(ident[0], { name: ident[0], start, valueStart, valueEnd: i });
        }
        continue;
      }
      const labels: string[] = [];
      while (i < text.length && text[i] !== '{' && text[i] !== '\n') {
        if (text[i] === '"') {
          const labelStart = i + 1;
          skipString();
          labels.push(text.slice(labelStart, i - 1));
        } else {
          IDENT.lastIndex = i;
          const label = IDENT.exec(text);
          if (label) {
            labels.push(label[0]);
            i = IDENT.lastIndex;
          } else i++;
        }
        skipSpace(true);
      }
      if (text[i] !== '{') continue;
      i++;
      const child: HclBlock = {
        type: ident[0],
        labels,
        start,
        end: start,
        attributes: new Map(),
        blocks: [],
        comments: depth === 0 ? pendingComments : [],
      };
      pendingComments = [];
      readBody(child, depth + 1);
      child.end = i;
      block.blocks.push(child);
    }
  };

  readBody(root, 0);
  return root.blocks;
}
