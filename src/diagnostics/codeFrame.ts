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
    const text = expandTabs(file.lineText(line));
    out.push(paint.gutter(`${String(line).padStart(width)} |`) + (text ? ` ${text}` : ''));
    const lineMarks = [...byLine.get(line)!].sort((a, b) => a.span.start - b.span.start);
    for (const mark of lineMarks.reverse()) {
      out.push(paint.gutter(`${pad} |`) + ' ' + underline(file, line, mark, text, paint));
    }
  }
  return out;
}

function underline(file: SourceFile, line: number, mark: Mark, text: string, paint: Paint): string {
  const rawLine = file.lineText(line);
  const startCol = file.getLocation(mark.span.start).column - 1;
  const endOffset = Math.min(mark.span.end, file.lineStarts[line - 1]! + rawLine.length);
  const endCol = Math.max(startCol + 1, endOffset - file.lineStarts[line - 1]!);
  const lead = expandTabs(rawLine.slice(0, startCol)).length;
  const lengthOnScreen = Math.max(
    1,
    expandTabs(rawLine.slice(0, endCol)).length - lead,
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
