/** JSON and YAML text to values, with the location of a syntax error (line, column) for the user. */
import { parseDocument } from 'yaml';

export type TextParse = { ok: true; value: unknown } | { ok: false; message: string; line?: number; column?: number };

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

export function parseJsonText(text: string): TextParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const message = e instanceof RangeError ? 'JSON nested too deeply to read' : (e as Error).message;
    const m = /position (\d+)/.exec(message);
    const at = m ? lineColumn(text, Number(m[1])) : /line (\d+) column (\d+)/.exec(message);
    const where = Array.isArray(at) ? { line: Number(at[1]), column: Number(at[2]) } : (at ?? undefined);
    return {
      ok: false,
      message: `invalid JSON: ${message.replace(/^Unexpected/, 'unexpected').replace(/ in JSON at position \d+.*$/, '')}`,
      ...where,
    };
  }
}

export function parseYamlText(text: string): TextParse {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    return {
      ok: false,
      message: `invalid YAML: ${error.message.split('\n')[0]}`,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    };
  }
  return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) };
}
