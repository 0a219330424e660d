/**
 * Where a cursor is, read from the text alone: completion runs on text being typed, which
 * often does not parse. Strings and comments are not told apart from code; a bracket in
 * one only misleads completion, never anything else.
 */

/**
 * The offset of the innermost `kind` bracket that is open at `offset`, passing outward over
 * other open brackets; a call never spans the `{` of a block, so `(` stops there.
 */
export function openBracket(text: string, offset: number, kind: '(' | '{'): number | undefined {
  let depth = 0;
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i]!;
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '(' || c === '[' || c === '{') {
      if (depth > 0) depth--;
      else if (c === kind) return i;
      else if (kind === '(' && c === '{') return undefined;
    }
  }
  return undefined;
}

/** The block keyword (`cell`, `space`, `search`, `genotype`) of the `{` at `brace`. */
export function blockKeyword(text: string, brace: number): string | undefined {
  const head = text.slice(text.lastIndexOf('\n', brace - 1) + 1, brace);
  return /^\s*(?:@\w+(?:\([^)]*\))?\s+)*(cell|space|search|genotype)\b/.exec(head)?.[1];
}

/** The offset of the `}` closing the `{` at `brace`, or the end of the text. */
export function closingBrace(text: string, brace: number): number {
  let depth = 0;
  for (let i = brace; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return text.length;
}

/** The text from the start of the cursor's line to the cursor. */
export function lineBefore(text: string, offset: number): string {
  return text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
}

/** The dotted name right before a `(` at `paren` (`conv2d`, `ops2d.sep_conv`). */
export function calleeBefore(text: string, paren: number): string[] | undefined {
  const m = /([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)\s*$/.exec(
    text.slice(Math.max(0, paren - 200), paren),
  );
  return m ? m[1]!.split('.').map((p) => p.trim()) : undefined;
}

/**
 * The arguments of the call at `paren` up to `offset`, split at its top-level commas: the
 * last is the one being written.
 */
export function argumentsBefore(text: string, paren: number, offset: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = paren + 1;
  for (let i = paren + 1; i < offset; i++) {
    const c = text[i]!;
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i));
      start = i + 1;
    }
  }
  args.push(text.slice(start, offset));
  return args;
}
