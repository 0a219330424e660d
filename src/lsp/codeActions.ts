import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';

import { suggestionsOf } from './suggestions.js';
import type { DiagnosticData } from './toDiagnostic.js';

/**
 * Quick fixes for the document's diagnostics that suggest a name (did-you-mean): replace the
 * misspelled name with each suggestion, the first preferred.
 */
export function quickFixes(uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  return diagnostics.flatMap((d) => {
    const data = d.data as DiagnosticData | undefined;
    const suggestions = data?.suggestions ?? suggestionsOf(d.message);
    return suggestions.map((name, i) => ({
      title: `Replace with \`${name}\``,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: i === 0,
      edit: { changes: { [uri]: [{ range: d.range, newText: name }] } },
    }));
  });
}
