import type { IToken } from 'chevrotain';

import type * as A from '../ast/nodes.js';
import { children } from '../ast/visit.js';

/** A comment of the source: its text as printed (line comments without trailing blanks). */
export interface Comment {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** A `//` comment, which runs to the end of its line. */
  readonly line: boolean;
  /** Only blanks before it on its line. */
  readonly ownLine: boolean;
  /** Only blanks after it on its line. */
  readonly endOfLine: boolean;
}

/**
 * Where each comment is printed: before or after a node, or at the end of a block or file.
 * Every comment of the source is in exactly one of these lists, in source order within it.
 */
export interface Attached {
  readonly leading: Map<A.AstNode, Comment[]>;
  readonly trailing: Map<A.AstNode, Comment[]>;
  readonly end: Map<A.AstNode, Comment[]>;
  /**
   * After the opening bracket of a block, list, tuple, call, tensor type or parameter list,
   * ending its line.
   */
  readonly open: Map<A.AstNode, Comment[]>;
  /** Trailing comments inside a node with nothing to attach them to: printed right after it. */
  readonly inline: Set<Comment>;
}

/**
 * The comments of a file that lexed without errors: the text between two tokens is only
 * blanks and comments, so a comment is whatever starts with `//` or `/*` there.
 */
export function commentsOf(text: string, tokens: readonly IToken[]): Comment[] {
  const comments: Comment[] = [];
  const gaps: [number, number][] = [];
  let from = 0;
  for (const token of tokens) {
    gaps.push([from, token.startOffset]);
    from = token.endOffset! + 1;
  }
  gaps.push([from, text.length]);
  for (const [start, end] of gaps) {
    for (const m of text.slice(start, end).matchAll(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g)) {
      const at = start + m.index;
      const line = m[0].startsWith('//');
      comments.push({
        text: line ? m[0].trimEnd() : m[0].replace(/\r\n/g, '\n'),
        start: at,
        end: at + m[0].length,
        line,
        ownLine: (text[skipBlanks(text, at - 1, -1)] ?? '\n') === '\n',
        endOfLine: (text[skipBlanks(text, at + m[0].length, 1)] ?? '\n') === '\n',
      });
    }
  }
  return comments;
}

/** The first offset from `from` in direction `step` that is not a blank other than a newline. */
function skipBlanks(text: string, from: number, step: 1 | -1): number {
  let i = from;
  while (i >= 0 && i < text.length && ' \t\r\f\uFEFF'.includes(text[i]!)) i += step;
  return i;
}

/** Nodes that the printer prints through its comment hook; names and the like are inside them. */
function attachable(node: A.AstNode): A.AstNode[] {
  return children(node).flatMap((child) => {
    if (child.kind === 'Name') return [];
    if (child.kind === 'Signature' || child.kind === 'CellAlias') return attachable(child);
    return [child];
  });
}

/**
 * Attaches each comment to the nearest node, as prettier does: in the smallest node that
 * encloses it, a comment on its own line goes before the next node, a comment that ends a
 * line after the previous node, and one inside a line before the next node. In a block or
 * file, what follows the last item stays at the end; elsewhere what has no node beside it
 * goes after the enclosing node.
 */
export function attachComments(
  text: string,
  program: A.ProgramNode,
  comments: readonly Comment[],
): Attached {
  const attached: Attached = {
    leading: new Map(),
    trailing: new Map(),
    end: new Map(),
    open: new Map(),
    inline: new Set(),
  };
  const add = (map: Map<A.AstNode, Comment[]>, node: A.AstNode, c: Comment) =>
    map.set(node, [...(map.get(node) ?? []), c]);
  // A comment never goes before one that came before it: once a comment goes before a node,
  // the comments after it up to that node do too.
  let leadingOf: A.AstNode | undefined;
  let endOf: A.AstNode | undefined;
  for (const c of comments) {
    const enclosing = enclosingNode(program, c);
    const kids = attachable(enclosing);
    // A neighbour counts only at the comment's bracket level: no `)` between the comment and
    // the next node, no `(` between the previous node and the comment.
    const gap = (from: number, to: number) => balanced(withoutComments(text.slice(from, to)));
    let preceding = kids.filter((k) => k.span.end <= c.start).at(-1);
    let following = kids.find((k) => k.span.start >= c.end);
    if (following && /[)\]}]/.test(gap(c.end, following.span.start))) following = undefined;
    if (preceding && /[([{]/.test(gap(preceding.span.end, c.start))) preceding = undefined;
    // Annotations own only the comments between them and the declaration's keyword.
    if (preceding?.kind === 'Annotation' && gap(preceding.span.end, c.start).trim())
      preceding = undefined;
    const first = !preceding;
    // One `//` comment already waits for the end of the line after the previous node.
    const waiting = (attached.trailing.get(preceding!) ?? []).some((t) => t.line && !t.ownLine);
    if (following && preceding && c.line && !c.ownLine && waiting) preceding = undefined;
    const container = enclosing.kind === 'Block' || enclosing.kind === 'Program';
    const bracketed =
      first && (container || opens.has(enclosing.kind) || opensParams(text, enclosing, c));
    if (following && following === leadingOf) {
      add(attached.leading, following, c);
      continue;
    }
    if (!following && enclosing === endOf) {
      add(attached.end, enclosing, c);
      continue;
    }
    if (following) leadingOf = undefined;
    if (preceding?.kind === 'Annotation' && c.ownLine && following?.kind !== 'Annotation')
      add(attached.trailing, preceding, c);
    else if (c.ownLine && following) add(attached.leading, (leadingOf = following), c);
    else if (c.ownLine && container) add(attached.end, (endOf = enclosing), c);
    else if (c.ownLine && preceding) add(attached.trailing, preceding, c);
    else if (c.endOfLine && preceding) add(attached.trailing, preceding, c);
    // Ending the line of an opening `{`, `[` or `(`, or alone inside them: it stays there.
    else if ((c.endOfLine || !following) && bracketed && enclosing.kind !== 'Program')
      add(attached.open, enclosing, c);
    // Inside a line: before the next node when only blanks on the same line separate them,
    // else after the previous one (`a /* c */, b` stays after `a`).
    else if (following && (!preceding || /^[ \t]*$/.test(gap(c.end, following.span.start))))
      add(attached.leading, (leadingOf = following), c);
    else if (preceding) add(attached.trailing, preceding, c);
    else if (container) add(attached.end, enclosing, c);
    else {
      add(attached.trailing, enclosing, c);
      attached.inline.add(c);
    }
  }
  return attached;
}

/** Nodes whose printed form starts with an opening bracket that a comment may follow. */
const opens: ReadonlySet<A.AstKind> = new Set(['Block', 'List', 'Tuple', 'Call', 'TensorType']);

/** Whether the comment comes right after the `(` of a declaration's parameters. */
function opensParams(text: string, node: A.AstNode, c: Comment): boolean {
  if (node.kind !== 'Primitive' && node.kind !== 'Cell' && node.kind !== 'Space') return false;
  return balanced(withoutComments(text.slice(node.name.span.end, c.start))).trim() === '(';
}

/** The smallest attachable node that holds the comment. */
function enclosingNode(program: A.ProgramNode, c: Comment): A.AstNode {
  let enclosing: A.AstNode = program;
  for (;;) {
    const inner: A.AstNode | undefined = attachable(enclosing).find(
      (k) => k.span.start <= c.start && c.end <= k.span.end,
    );
    if (!inner) return enclosing;
    enclosing = inner;
  }
}

/** Text without its matched bracket pairs (`f()` in a gap is no bracket level). */
function balanced(text: string): string {
  let out = text;
  for (let before = ''; before !== out;) {
    before = out;
    out = out.replace(/\([^()[\]{}]*\)|\[[^()[\]{}]*\]|\{[^()[\]{}]*\}/g, ' ');
  }
  return out;
}

/** Source text with its comments taken out (their line breaks too). */
export function withoutComments(text: string): string {
  return text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
}
