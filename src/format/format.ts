import type { IToken } from 'chevrotain';
import { builders } from 'prettier/doc';

import type * as A from '../ast/nodes.js';
import { programDoc, render, type Doc, type PrintContext } from '../ast/print.js';
import { hasErrors, type Diagnostic } from '../diagnostics/Diagnostic.js';
import { SourceFile } from '../source/SourceFile.js';
import { tokenize } from '../syntax/lexer.js';
import { parse } from '../syntax/parse.js';
import { invariant } from '../util/invariant.js';
import {
  attachComments,
  commentsOf,
  withoutComments,
  type Attached,
  type Comment,
} from './comments.js';

const { breakParent, hardline, lineSuffix, lineSuffixBoundary } = builders;

/** The line width `dartsc fmt` lays out to (the repository's prettier width). */
const formatWidth = 100;

/**
 * Formats `.darts` source into its canonical layout (`dartsc fmt`): the printer's layout at
 * 100 columns, keeping every comment where it was and the line breaks the source has in
 * `>>` chains, lists and before a declaration's body or signature; blank lines between items
 * are kept, at most one. The value is the formatted text, absent when the source does not
 * parse (the diagnostics say why, as `dartsc check` does). Formatting formatted text changes
 * nothing. `path` names the file in diagnostics.
 */
export function format(source: { readonly text: string; readonly path?: string }): {
  readonly value?: string;
  readonly diagnostics: readonly Diagnostic[];
} {
  const file = new SourceFile(source.path ?? 'spec.darts', source.text);
  const parsed = parse(file);
  if (hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  const comments = commentsOf(file.text, tokenize(file).tokens);
  // A comment in an unusual place can land where the next pass reads it differently (after
  // a `)` that the layout moved, say): formatting again until nothing changes makes the
  // result a fixed point, so formatting formatted text changes nothing.
  let text = layOut(file, parsed.value);
  for (let pass = 1; pass < maxPasses; pass++) {
    verify(file, parsed.value, comments, text);
    const again = new SourceFile(file.name, text);
    const next = layOut(again, parse(again).value);
    if (next === text) break;
    text = next;
  }
  verify(file, parsed.value, comments, text);
  return { value: text, diagnostics: parsed.diagnostics };
}

/** Passes after which formatting stops even if the text still changes (it never has). */
const maxPasses = 4;

/** One pass: the printer's layout of a tree with the comments and line breaks of its file. */
function layOut(file: SourceFile, tree: A.ProgramNode): string {
  const { tokens } = tokenize(file);
  const attached = attachComments(file.text, tree, commentsOf(file.text, tokens));
  return render(programDoc(tree, context(file.text, tokens, attached)), formatWidth);
}

/**
 * Refuses output that would lose anything: it must parse to the same tree and hold the same
 * comments in the same order. A failure is a bug in the formatter (an internal error), and
 * nothing is written.
 */
function verify(file: SourceFile, tree: A.ProgramNode, comments: Comment[], text: string): void {
  const again = new SourceFile(file.name, text);
  const reparsed = parse(again);
  invariant(!hasErrors(reparsed.diagnostics), `fmt: the formatted ${file.name} does not parse`);
  invariant(
    JSON.stringify(withoutSpans(reparsed.value)) === JSON.stringify(withoutSpans(tree)),
    `fmt: the formatted ${file.name} parses to a different tree`,
  );
  const kept = commentsOf(text, tokenize(again).tokens).map((c) => c.text);
  invariant(
    JSON.stringify(kept) === JSON.stringify(comments.map((c) => c.text)),
    `fmt: the formatted ${file.name} does not keep its comments`,
  );
}

/** A tree as plain data without spans, for comparing trees parsed from different texts. */
function withoutSpans(node: A.AstNode): unknown {
  return JSON.parse(
    JSON.stringify(node, (key, value: unknown) => (key === 'span' ? undefined : value)),
  );
}

/** The layout's view of the source: its comments, line breaks and blank lines. */
function context(text: string, tokens: readonly IToken[], attached: Attached): PrintContext {
  const get = (map: Map<A.AstNode, Comment[]>, node: A.AstNode) => map.get(node) ?? [];
  // Every comment first ends a line that a `//` comment is waiting to end, so no comment
  // is printed before one that came before it.
  const leading = (c: Comment, lineStart: boolean): Doc => {
    if (!c.endOfLine) return [lineSuffixBoundary, c.text, ' '];
    const after = [c.text, hardline, blankAfter(text, c.end) ? hardline : ''];
    // On a line of its own it stays on one, even where the node does not start a line.
    return [lineSuffixBoundary, c.ownLine && !lineStart ? [hardline, after] : after];
  };
  // Inline while it can be; from the first that needs a line of its own, each on its own line.
  const trailing = (node: A.AstNode, statement: boolean) => {
    const comments = get(attached.trailing, node);
    let ownLines = false;
    let suffix = false;
    const docs = comments.map((c): Doc => {
      // After a `//` comment that waits for the end of the line, the next one needs a line.
      ownLines ||= (c.ownLine && !attached.inline.has(c)) || suffix;
      if (ownLines)
        return [hardline, c.ownLine && blankBefore(text, c.start) ? hardline : '', c.text];
      suffix ||= c.line;
      if (c.line) return [lineSuffixBoundary, lineSuffix(' ' + c.text), breakParent];
      return [lineSuffixBoundary, ' ', c.text];
    });
    // What follows a `//` comment goes on the next line (after an annotation or a statement,
    // it does anyway).
    const last = comments.at(-1);
    if (ownLines && last?.line && !statement && node.kind !== 'Annotation') docs.push(hardline);
    return docs;
  };
  return {
    around: (node, lineStart, statement) => ({
      // After a comment that ends its line, the next one starts a line.
      before: get(attached.leading, node).map((c, i, all) =>
        leading(c, lineStart || (i > 0 && all[i - 1]!.endOfLine)),
      ),
      after: trailing(node, statement),
    }),
    // After one that ends its line or is on a line of its own, each on its own line.
    open: (node) =>
      get(attached.open, node).map((c, i, all) =>
        i > 0 && (all[i - 1]!.line || c.ownLine)
          ? [hardline, c.text, breakParent]
          : [lineSuffixBoundary, ' ', c.text, breakParent],
      ),
    end: (node) =>
      get(attached.end, node).map((c, i) => {
        const first = i === 0 && node.kind === 'Program' && node.items.length === 0;
        if (first) return c.text;
        return [hardline, blankBefore(text, c.start) ? hardline : '', c.text];
      }),
    broken: (from, to) => {
      // A `)` right after `from` closes the list before: where it goes is that list's layout.
      const next = tokens.find((t) => t.startOffset >= from);
      const start = next && next.image === ')' && next.startOffset < to ? next.endOffset! : from;
      return withoutComments(text.slice(start, to)).includes('\n');
    },
    blank: (previous, next) => {
      const from = Math.max(
        previous.span.end,
        ...get(attached.trailing, previous).map((c) => c.end),
      );
      const to = get(attached.leading, next)[0]?.start ?? next.span.start;
      return /\n[ \t\r\f]*\n/.test(text.slice(from, to));
    },
  };
}

/** Whether a blank line comes just before `at` (only blanks between). */
function blankBefore(text: string, at: number): boolean {
  return /\n[ \t\r\f]*\n[ \t\r\f]*$/.test(text.slice(Math.max(0, at - 200), at));
}

/** Whether a blank line comes just after `at`. */
function blankAfter(text: string, at: number): boolean {
  return /^[ \t\r\f]*\n[ \t\r\f]*\n/.test(text.slice(at, at + 200));
}
