import {
  DiagnosticSeverity,
  type Diagnostic as LspDiagnostic,
  type DiagnosticRelatedInformation,
} from 'vscode-languageserver';

import type { Module } from '../check/loadProgram.js';
import type { Diagnostic } from '../diagnostics/Diagnostic.js';
import type { Span } from '../source/SourceFile.js';
import { locationOf, rangeOf } from './positions.js';
import { suggestionsOf } from './suggestions.js';

/** The span of the import of `entry` through which the file at `path` is loaded. */
function importReaching(entry: Module, path: string): Span | undefined {
  const reaches = (module: Module, seen: Set<Module>): boolean => {
    if (module.path === path) return true;
    if (seen.has(module)) return false;
    seen.add(module);
    return module.imports.some((i) => i.module !== undefined && reaches(i.module, seen));
  };
  return entry.imports.find((i) => i.module && reaches(i.module, new Set()))?.node.span;
}

/** What a published diagnostic carries for its quick fixes. */
export interface DiagnosticData {
  /** The did-you-mean names of its help, each a replacement for its range. */
  readonly suggestions: readonly string[];
}

/**
 * The LSP diagnostics of the document at `path`: the same code, message, help and notes as
 * `dartsc check` (help and notes as lines under the message, labels as related information).
 * A problem in an imported file is shown at the import that loads it, naming where it is.
 */
export function toLspDiagnostics(
  diagnostics: readonly Diagnostic[],
  entry: Module,
): LspDiagnostic[] {
  const path = entry.path;
  return diagnostics.map((d) => {
    const here = d.span.file.name === path;
    const { line, column } = d.span.file.getLocation(d.span.start);
    const where = here ? '' : `in ${d.span.file.name}:${line}:${column}: `;
    const lines = [
      where + d.message,
      ...(d.help !== undefined ? [`help: ${d.help}`] : []),
      ...d.notes.map((n) => `note: ${n}`),
    ];
    const related: DiagnosticRelatedInformation[] = d.labels.map((l) => ({
      location: locationOf(l.span.file.name, l.span),
      message: l.message,
    }));
    // The primary span's own label (`not found in this scope`), or where in another file.
    const primary = here ? d.label : (d.label ?? d.message);
    if (primary !== undefined)
      related.unshift({ location: locationOf(d.span.file.name, d.span), message: primary });
    const suggestions = here ? suggestionsOf(d.help) : [];
    const data: DiagnosticData = { suggestions };
    return {
      range: rangeOf(
        here ? d.span : (importReaching(entry, d.span.file.name) ?? entry.file.span(0, 0)),
      ),
      severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      code: d.code,
      source: 'dartsc',
      message: lines.join('\n'),
      ...(related.length ? { relatedInformation: related } : {}),
      ...(suggestions.length ? { data } : {}),
    };
  });
}
