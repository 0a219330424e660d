import {
  DiagnosticSeverity,
  type Diagnostic as LspDiagnostic,
  type DiagnosticRelatedInformation,
} from 'vscode-languageserver';

import type { Diagnostic } from '../diagnostics/Diagnostic.js';
import { locationOf, rangeOf } from './positions.js';
import { suggestionsOf } from './suggestions.js';

/** What a published diagnostic carries for its quick fixes. */
export interface DiagnosticData {
  /** The did-you-mean names of its help, each a replacement for its range. */
  readonly suggestions: readonly string[];
}

/**
 * The LSP diagnostics of the document at `path`: the same code, message, help and notes as
 * `dartsc check` (help and notes as lines under the message, labels as related information).
 * A problem in an imported file is shown at the document's start, naming where it is.
 */
export function toLspDiagnostics(
  diagnostics: readonly Diagnostic[],
  path: string,
): LspDiagnostic[] {
  return diagnostics.map((d) => {
    const here = d.span.file.name === path;
    const { line, column } = d.span.file.getLocation(d.span.start);
    const where = here ? '' : `in ${d.span.file.name}:${line}:${column}: `;
    const lines = [
      where + d.message + (d.label ? ` (${d.label})` : ''),
      ...(d.help !== undefined ? [`help: ${d.help}`] : []),
      ...d.notes.map((n) => `note: ${n}`),
    ];
    const related: DiagnosticRelatedInformation[] = d.labels.map((l) => ({
      location: locationOf(l.span.file.name, l.span),
      message: l.message,
    }));
    if (!here)
      related.unshift({ location: locationOf(d.span.file.name, d.span), message: d.message });
    const suggestions = here ? suggestionsOf(d.help) : [];
    const data: DiagnosticData = { suggestions };
    return {
      range: here
        ? rangeOf(d.span)
        : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      code: d.code,
      source: 'dartsc',
      message: lines.join('\n'),
      ...(related.length ? { relatedInformation: related } : {}),
      ...(suggestions.length ? { data } : {}),
    };
  });
}
