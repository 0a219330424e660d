import type { IRecognitionException, IToken } from 'chevrotain';

import type { ProgramCstNode } from '../../grammar/cst.js';
import type { ProgramNode } from '../ast/nodes.js';
import { diagnostic, type Diagnostic } from '../diagnostics/Diagnostic.js';
import type { SourceFile, Span } from '../source/SourceFile.js';
import { cstToAst } from './cstToAst.js';
import { tokenize } from './lexer.js';
import { isInsertedToken, parser, type SyntaxErrorPayload } from './parser.js';

/** The result of parsing one file: an AST (partial when there were syntax errors). */
export interface ParseResult {
  readonly value: ProgramNode;
  readonly diagnostics: readonly Diagnostic[];
}

/** Parses a `.darts` file. Never throws for any input: problems are diagnostics. */
export function parse(file: SourceFile): ParseResult {
  const lexed = tokenize(file);
  parser.input = lexed.tokens;
  const cst = parser.program() as ProgramCstNode;
  const syntaxErrors = parser.errors.map((e) => syntaxDiagnostic(file, e));
  const built = cstToAst(file, cst);
  return {
    value: built.program,
    diagnostics: dedupe([...lexed.diagnostics, ...syntaxErrors, ...built.diagnostics]),
  };
}

function syntaxDiagnostic(file: SourceFile, error: IRecognitionException): Diagnostic {
  const payload = JSON.parse(error.message) as SyntaxErrorPayload;
  const token = error.token;
  const previous = (error as { previousToken?: IToken }).previousToken;
  const found = isInsertedToken(token) ? 'end of file' : `\`${token.image}\``;
  const code = payload.kind === 'token' ? 'E0104' : 'E0105';
  const { span, label } = anchor(file, token, previous, payload.expected);
  return diagnostic(code, span, { expected: payload.expected, found }, { label });
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
