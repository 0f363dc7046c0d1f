/** Notes and errors gathered while reading one file, each located in the file. */
import type { Position } from './positions';
import type { SymbolicNote, TemplateError } from './types';

export type Locator = (pointer: string) => Position | undefined;

export class ReadLog {
  readonly notes: SymbolicNote[] = [];
  readonly errors: TemplateError[] = [];
  private readonly seen = new Set<string>();

  constructor(
    readonly file: string,
    private readonly locate: Locator,
  ) {}

  note(pointer: string, message: string, position?: Position): void {
    const key = `${pointer}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const at = position ?? this.locate(pointer);
    this.notes.push({ file: this.file, pointer, ...(at ? { line: at.line, column: at.column } : {}), message });
  }

  error(pointer: string | undefined, message: string, position?: Position): void {
    const key = `E${pointer}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const at = position ?? (pointer !== undefined ? this.locate(pointer) : undefined);
    this.errors.push({
      file: this.file,
      message,
      ...(pointer !== undefined ? { pointer } : {}),
      ...(at ? { line: at.line, column: at.column } : {}),
    });
  }
}
