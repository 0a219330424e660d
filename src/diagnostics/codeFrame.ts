import type { SourceFile, Span } from '../source/SourceFile.js';

/** One underline to draw in a code frame. */
export interface Mark {
  readonly span: Span;
  readonly message?: string;
  readonly primary: boolean;
}

/** Colour functions; identity when colour is off. */
export interface Paint {
  readonly gutter: (s: string) => string;
  readonly primary: (s: string) => string;
  readonly secondary: (s: string) => string;
}

/**
 * Renders the lines of `file` that the marks touch, rustc style: a gutter with line numbers,
 * `^` under the primary span and `-` under secondary spans, each with its message. A span
 * that runs over several lines is underlined to the end of its first line.
 */
export function codeFrame(file: SourceFile, marks: readonly Mark[], paint: Paint): string[] {
  const byLine = new Map<number, Mark[]>();
  for (const mark of marks) {
    const { line } = file.getLocation(mark.span.start);
    byLine.set(line, [...(byLine.get(line) ?? []), mark]);
  }
  const lines = [...byLine.keys()].sort((a, b) => a - b);
  const width = String(lines[lines.length - 1] ?? 1).length;
  const pad = ' '.repeat(width);
  const out: string[] = [paint.gutter(`${pad} |`)];
  let previous = 0;
  for (const line of lines) {
    if (previous !== 0 && line > previous + 1) out.push(paint.gutter('...'));
    previous = line;
    const lineMarks = [...byLine.get(line)!].sort((a, b) => a.span.start - b.span.start);
    const view = lineWindow(file, line, lineMarks[0]!);
    const { text } = view;
    out.push(paint.gutter(`${String(line).padStart(width)} |`) + (text ? ` ${text}` : ''));
    for (const mark of lineMarks.reverse()) {
      out.push(paint.gutter(`${pad} |`) + ' ' + underline(file, line, mark, view, paint));
    }
  }
  return out;
}

/**
 * Columns of a line shown at most: a longer line (a generated spec can be one line of
 * megabytes) is shown as a window that starts a little before its first mark, cut with `…`.
 */
const maxColumns = 160;

/** The text shown for a line, and how many columns of the line are left out before it. */
interface LineWindow {
  readonly text: string;
  readonly shift: number;
}

function lineWindow(file: SourceFile, line: number, first: Mark): LineWindow {
  const rawLine = file.lineText(line);
  const full = expandTabs(rawLine);
  if (full.length <= maxColumns) return { text: full, shift: 0 };
  const startCol = file.getLocation(first.span.start).column - 1;
  const lead = expandTabs(rawLine.slice(0, startCol)).length;
  const start = Math.max(0, Math.min(lead - 20, full.length - maxColumns));
  const left = start > 0 ? '…' : '';
  const right = start + maxColumns < full.length ? '…' : '';
  return { text: left + full.slice(start, start + maxColumns) + right, shift: start - left.length };
}

function underline(
  file: SourceFile,
  line: number,
  mark: Mark,
  view: LineWindow,
  paint: Paint,
): string {
  const rawLine = file.lineText(line);
  const startCol = file.getLocation(mark.span.start).column - 1;
  const endOffset = Math.min(mark.span.end, file.lineStarts[line - 1]! + rawLine.length);
  const endCol = Math.max(startCol + 1, endOffset - file.lineStarts[line - 1]!);
  const text = view.text;
  const lead = Math.min(text.length, expandTabs(rawLine.slice(0, startCol)).length - view.shift);
  const lengthOnScreen = Math.max(
    1,
    expandTabs(rawLine.slice(0, endCol)).length - view.shift - lead,
    endCol > rawLine.length ? endCol - startCol : 0,
  );
  const glyph = mark.primary ? '^' : '-';
  const colour = mark.primary ? paint.primary : paint.secondary;
  const marker = glyph.repeat(Math.min(lengthOnScreen, Math.max(1, text.length - lead + 1)));
  return ' '.repeat(lead) + colour(marker + (mark.message ? ` ${mark.message}` : ''));
}

function expandTabs(text: string): string {
  return text.replace(/\t/g, '    ');
}
