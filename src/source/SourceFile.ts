/** A half-open range [start, end) of UTF-16 offsets in one source file. */
export interface Span {
  readonly file: SourceFile;
  readonly start: number;
  readonly end: number;
}

/** 1-based line and column of an offset. */
export interface Location {
  readonly line: number;
  readonly column: number;
}

/** The text of one `.darts` file, with line starts computed lazily on first use. */
export class SourceFile {
  #lineStarts: number[] | undefined;

  constructor(
    /** The name shown to users: a path relative to the working directory, or `std/x.darts`. */
    readonly name: string,
    readonly text: string,
  ) {}

  /** Offsets at which each line starts (line 1 at index 0). */
  get lineStarts(): readonly number[] {
    if (!this.#lineStarts) {
      const starts = [0];
      for (let i = 0; i < this.text.length; i++) {
        if (this.text.charCodeAt(i) === 10) starts.push(i + 1);
      }
      this.#lineStarts = starts;
    }
    return this.#lineStarts;
  }

  /** The 1-based line and column of `offset`, by binary search over the line starts. */
  getLocation(offset: number): Location {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  /** The text of 1-based line `line`, without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1] ?? this.text.length;
    const next = this.lineStarts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }

  /** A span in this file. */
  span(start: number, end: number): Span {
    return { file: this, start, end };
  }
}
