import { printProgram } from '../ast/print.js';
import { hasErrors } from '../diagnostics/Diagnostic.js';
import { SourceFile } from '../source/SourceFile.js';
import { tokenize } from '../syntax/lexer.js';
import { parse } from '../syntax/parse.js';

/**
 * The canonical text of a document, or undefined when it is not formatted: it has syntax
 * errors, or comments, which the printer (`printProgram`) does not keep. The one place the
 * server formats, so a comment-keeping formatter can take its place.
 */
export function formatText(text: string, name: string): string | undefined {
  const file = new SourceFile(name, text);
  const parsed = parse(file);
  if (hasErrors(parsed.diagnostics) || hasComments(file)) return undefined;
  return printProgram(parsed.value);
}

/** True when anything but white space lies between the tokens: a comment. */
function hasComments(file: SourceFile): boolean {
  let end = 0;
  for (const token of tokenize(file).tokens) {
    if (/\S/.test(file.text.slice(end, token.startOffset))) return true;
    end = token.endOffset! + 1;
  }
  return /\S/.test(file.text.slice(end));
}
