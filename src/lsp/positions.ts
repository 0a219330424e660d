import { fileURLToPath, pathToFileURL } from 'node:url';

import type { Location, Position, Range } from 'vscode-languageserver';

import type { SourceFile, Span } from '../source/SourceFile.js';

/** The absolute path of a `file:` URI, or undefined for any other scheme. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The `file:` URI of an absolute path. */
export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

/** The LSP position (0-based line, UTF-16 character) of an offset in a file. */
function positionOf(file: SourceFile, offset: number): Position {
  const { line, column } = file.getLocation(offset);
  return { line: line - 1, character: column - 1 };
}

/** The LSP range of a span. */
export function rangeOf(span: Span): Range {
  return { start: positionOf(span.file, span.start), end: positionOf(span.file, span.end) };
}

/** The LSP location of a span in the file at `path`. */
export function locationOf(path: string, span: Span): Location {
  return { uri: pathToUri(path), range: rangeOf(span) };
}

/** The offset of an LSP position, clamped to the file (and to the end of its line). */
export function offsetOf(file: SourceFile, position: Position): number {
  const starts = file.lineStarts;
  if (position.line >= starts.length) return file.text.length;
  const start = starts[Math.max(0, position.line)]!;
  const next = starts[position.line + 1];
  const lineEnd = next === undefined ? file.text.length : next - 1;
  return Math.min(start + Math.max(0, position.character), lineEnd);
}
