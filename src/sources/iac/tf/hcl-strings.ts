/** Strings from hcl2json: parsed as templates (offsets mapped to the file when possible), heredoc positions. */
import { LineIndex, type Position } from '../positions';
import type { Expr } from './hcl-ast';
import { parseTemplateContent } from './hcl-expr';
import type { HclAttribute } from './hcl-scan';

export interface ParsedString {
  expr: Expr;
  located: boolean;
  text: string;
  base: number;
}

export function parseHclString(
  raw: string,
  attribute: HclAttribute | undefined,
  source: string,
): ParsedString | undefined {
  if (!raw.includes('${') && !raw.includes('%{')) return undefined;
  const inner = raw.startsWith('${') && raw.endsWith('}') ? raw.slice(2, -1) : undefined;
  const located = inner !== undefined && attribute !== undefined && source.startsWith(inner, attribute.valueStart);
  const base = located ? (attribute as HclAttribute).valueStart - 2 : 0;
  return { expr: parseTemplateContent(raw, base), located, text: raw, base };
}

/** Offsets of a heredoc's content -> positions in the file (the content starts on the line after `<<EOT`). */
export function heredocPositions(
  text: string,
  fileLines: LineIndex,
  attribute: HclAttribute,
  content: string,
): ((offset: number) => Position) | undefined {
  const header = /<<(-?)[A-Za-z_][A-Za-z0-9_]*[ \t]*\r?\n/y;
  header.lastIndex = attribute.valueStart;
  const match = header.exec(text);
  if (!match) return undefined;
  const bodyStart = header.lastIndex;
  const firstLine = fileLines.position(bodyStart).line;
  let strip = 0;
  if (match[1] === '-') {
    const sourceLine = text.slice(bodyStart, text.indexOf('\n', bodyStart));
    const contentLine = content.slice(0, content.indexOf('\n') < 0 ? content.length : content.indexOf('\n'));
    strip = Math.max(0, sourceLine.length - contentLine.length);
  }
  const contentLines = new LineIndex(content);
  return (offset) => {
    const position = contentLines.position(offset);
    return { line: firstLine + position.line - 1, column: position.column + strip };
  };
}
