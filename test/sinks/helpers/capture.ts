/** A Writable that keeps what was written, optionally posing as a terminal. */
import { Writable } from 'node:stream';

export class CaptureStream extends Writable {
  private readonly chunks: Buffer[] = [];
  isTTY?: boolean;
  columns?: number;

  constructor(terminal?: { columns: number }) {
    super();
    if (terminal) {
      this.isTTY = true;
      this.columns = terminal.columns;
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(Buffer.from(chunk));
    callback();
  }

  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC
export const ANSI = /\u001b\[[0-9;]*m/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC
export const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');
