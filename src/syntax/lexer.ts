import { Lexer, type IToken } from 'chevrotain';

import { diagnostic, type Diagnostic } from '../diagnostics/Diagnostic.js';
import type { SourceFile } from '../source/SourceFile.js';
import { allTokens, HashComment, UnterminatedString } from './tokens.js';

/** The one lexer instance. Errors are collected, not thrown, so lexing always completes. */
const lexer = new Lexer(allTokens as never, {
  positionTracking: 'full',
  ensureOptimizations: false,
});

/** Tokens of a file, plus E0101–E0103 for characters and literals that cannot be tokens. */
export function tokenize(file: SourceFile): { tokens: IToken[]; diagnostics: Diagnostic[] } {
  const result = lexer.tokenize(file.text);
  const diagnostics: Diagnostic[] = [];
  for (const error of result.errors) {
    // Chevrotain groups consecutive bad characters into one error: report each run once.
    const char = file.text.slice(error.offset, error.offset + error.length);
    diagnostics.push(
      diagnostic('E0101', file.span(error.offset, error.offset + error.length), {
        char: char.length > 12 ? char.slice(0, 12) + '…' : char,
      }),
    );
  }
  for (const token of result.groups.errors ?? []) {
    if (token.tokenType === HashComment) {
      diagnostics.push(
        diagnostic('E0108', file.span(token.startOffset, token.startOffset + 1), {}),
      );
      continue;
    }
    diagnostics.push(
      diagnostic(
        'E0103',
        file.span(token.startOffset, token.startOffset + 2),
        {},
        {
          label: 'this comment is never closed',
        },
      ),
    );
  }
  for (const token of result.tokens) {
    if (token.tokenType === UnterminatedString) {
      diagnostics.push(
        diagnostic(
          'E0102',
          file.span(token.startOffset, token.endOffset! + 1),
          {},
          {
            label: 'this string is never closed',
          },
        ),
      );
    }
  }
  return { tokens: result.tokens, diagnostics };
}
