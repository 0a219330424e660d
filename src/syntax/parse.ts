import type { IRecognitionException, IToken, TokenType } from 'chevrotain';

import type { ProgramCstNode } from '../../grammar/cst.js';
import type { ProgramNode } from '../ast/nodes.js';
import { diagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics/Diagnostic.js';
import type { SourceFile, Span } from '../source/SourceFile.js';
import { cstToAst } from './cstToAst.js';
import { tokenize } from './lexer.js';
import { limits, tooDeepNode, tooDeeplyNested } from './limits.js';
import { isInsertedToken, parser, type SyntaxErrorPayload } from './parser.js';
import {
  At,
  KwCell,
  KwGenotype,
  KwImport,
  KwLet,
  KwPrimitive,
  KwSearch,
  KwSpace,
  keywordTokens,
} from './tokens.js';

/** The result of parsing one file: an AST (partial when there were syntax errors). */
export interface ParseResult {
  readonly value: ProgramNode;
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Offset ranges of the top-level declarations that have syntax errors. Later phases stay
   * quiet inside them: what recovery made of a broken declaration only misleads.
   */
  readonly broken: readonly (readonly [number, number])[];
}

/** Tokens that start a top-level declaration when they open a line. */
const declarationStarts = new Set<TokenType>([
  KwImport,
  KwPrimitive,
  KwCell,
  KwSpace,
  KwGenotype,
  KwSearch,
  KwLet,
  At,
]);

/**
 * Parses a `.darts` file. Never throws for any input: problems are diagnostics. A file beyond
 * a limit of `limits.ts` (E0109–E0111) gives an empty program and that one diagnostic, since
 * the parse is refused or its tree is too deep for the phases after it.
 */
export function parse(file: SourceFile): ParseResult {
  const { length } = file.text;
  if (length > limits.sourceLength) {
    const d = diagnostic('E0111', file.span(0, 0), {
      file: file.name,
      size: `${length.toLocaleString('en-US')} characters`,
      limit: `${limits.sourceLength.toLocaleString('en-US')} characters`,
    });
    return refused(file, d);
  }
  const lexed = tokenize(file);
  const deep = tooDeeplyNested(lexed.tokens);
  if (deep) {
    const span = file.span(deep.startOffset, deep.endOffset! + 1);
    const label = `level ${limits.nesting + 1} starts here`;
    return refused(file, diagnostic('E0109', span, { limit: limits.nesting }, { label }));
  }
  parser.input = lexed.tokens;
  const cst = parser.program() as ProgramCstNode;
  const syntaxErrors = parser.errors.map((e) => syntaxDiagnostic(file, e));
  const built = cstToAst(file, cst);
  const tooDeep = tooDeepNode(built.program);
  if (tooDeep) {
    const d = diagnostic('E0110', tooDeep.node.span, { limit: limits.expressionDepth });
    return refused(file, d);
  }
  const segments = declarationSegments(file, lexed.tokens);
  const segmentOf = (d: Diagnostic) =>
    segments.findIndex(([s, e]) => d.span.start >= s && d.span.start < e);
  // Recovery after a syntax error often reports the same mistake again: one per declaration.
  // A character the lexer dropped is the cause of what the parser then finds amiss.
  const seen = new Set<number>(lexed.diagnostics.map(segmentOf));
  const firstSyntaxErrors = sortDiagnostics(syntaxErrors).filter((d) => {
    const segment = segmentOf(d);
    if (seen.has(segment)) return false;
    seen.add(segment);
    return true;
  });
  const all = [...lexed.diagnostics, ...firstSyntaxErrors, ...built.diagnostics];
  const broken = [...new Set(all.map(segmentOf))].flatMap((i) =>
    segments[i] ? [segments[i]] : [],
  );
  return { value: built.program, diagnostics: dedupe(all), broken };
}

/** An empty program for a file that is not parsed (or not used), with the reason. */
function refused(file: SourceFile, d: Diagnostic): ParseResult {
  const program: ProgramNode = { kind: 'Program', span: file.span(0, file.text.length), items: [] };
  return { value: program, diagnostics: [d], broken: [[0, file.text.length + 1]] };
}

/** [start, end) offset ranges from one declaration-starting line to the next. */
function declarationSegments(file: SourceFile, tokens: readonly IToken[]): [number, number][] {
  const starts = tokens
    .filter(
      (t) => declarationStarts.has(t.tokenType) && file.getLocation(t.startOffset).column === 1,
    )
    .map((t) => t.startOffset);
  const bounds = [0, ...starts.filter((s) => s > 0), file.text.length + 1];
  return bounds.slice(0, -1).map((s, i) => [s, bounds[i + 1]!]);
}

function syntaxDiagnostic(file: SourceFile, error: IRecognitionException): Diagnostic {
  const payload = JSON.parse(error.message) as SyntaxErrorPayload;
  const token = error.token;
  const previous = (error as { previousToken?: IToken }).previousToken;
  const keyword = keywordTokens.includes(token.tokenType);
  const found = isInsertedToken(token)
    ? 'end of file'
    : `${keyword ? 'the keyword ' : ''}\`${token.image}\``;
  const code = payload.kind === 'token' ? 'E0104' : 'E0105';
  const { span, label } = anchor(file, token, previous, payload.expected);
  const notes = keyword
    ? [`\`${token.image}\` is a keyword, so it cannot be used as a name or a value`]
    : [];
  return diagnostic(code, span, { expected: payload.expected, found }, { label, notes });
}

/**
 * Where to point a syntax error. At the offending token, unless it is on a later line than
 * the previous real token or is the end of the file: then the thing is missing at the end of
 * the previous line, so point just after the previous token (zero width).
 */
function anchor(
  file: SourceFile,
  token: IToken,
  previous: IToken | undefined,
  expected: string,
): { span: Span; label: string } {
  const prevEnd = previous && !isInsertedToken(previous) ? previous.endOffset! + 1 : undefined;
  const atEnd = isInsertedToken(token);
  const onLaterLine =
    !atEnd &&
    prevEnd !== undefined &&
    file.getLocation(token.startOffset).line > file.getLocation(prevEnd).line;
  if ((atEnd || onLaterLine) && prevEnd !== undefined) {
    return { span: file.span(prevEnd, prevEnd), label: `expected ${expected} here` };
  }
  if (atEnd)
    return { span: file.span(file.text.length, file.text.length), label: 'file ends here' };
  return {
    span: file.span(token.startOffset, token.endOffset! + 1),
    label: 'unexpected here',
  };
}

/** Recovery can report the same position twice; keep the first report per (code, offset). */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.span.start}:${d.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
