/** Line/column bookkeeping shared by the readers: 1-based line and column of a JSON pointer or a text offset. */
import { nearest } from './pointer';

export interface Position {
  line: number;
  column: number;
}

/** Offsets of line starts, for offset -> line/column. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  position(offset: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.starts[low] as number) + 1 };
  }
  lineStart(line: number): number | undefined {
    return this.starts[line - 1];
  }
}

/** Positions of the pointers of one parsed document. */
export class PositionMap {
  private readonly map = new Map<string, Position>();
  set(pointer: string, position: Position): void {
    if (!this.map.has(pointer)) this.map.set(pointer, position);
  }
  get(pointer: string): Position | undefined {
    return this.map.get(pointer);
  }
  /** Position of the pointer, or of its nearest ancestor with one. */
  nearest(pointer: string): { pointer: string; position: Position } | undefined {
    return nearest(pointer, (p) => {
      const position = this.map.get(p);
      return position ? { pointer: p, position } : undefined;
    });
  }
  get size(): number {
    return this.map.size;
  }
}
