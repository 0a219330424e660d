import type { Span } from '../source/SourceFile.js';
import { codes, type Code, type HelpParams, type MessageParams, type Severity } from './codes.js';

/** A secondary span with its own short message. */
interface Label {
  readonly span: Span;
  readonly message: string;
}

/** A problem found in user input: data, rendered separately (see render.ts). */
export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  /** The primary span, underlined with `^`. */
  readonly span: Span;
  /** A short message shown under the primary span, if any. */
  readonly label?: string;
  readonly labels: readonly Label[];
  readonly notes: readonly string[];
  readonly help?: string;
}

/** Optional parts of a diagnostic besides its code, span and message parameters. */
export interface DiagnosticExtras<C extends Code> {
  readonly label?: string;
  readonly labels?: readonly Label[];
  readonly notes?: readonly string[];
  /** Parameters of the code's help builder (required where the builder needs them). */
  readonly help?: HelpParams<C>;
}

/**
 * Builds the diagnostic for `code` at `span`; the message and help text come from the
 * catalogue, so call sites never format them.
 */
export function diagnostic<C extends Code>(
  code: C,
  span: Span,
  params: MessageParams<C>,
  extras: DiagnosticExtras<C> = {},
): Diagnostic {
  const entry = codes[code] as {
    severity: Severity;
    message: (p: unknown) => string;
    help?: (p: unknown) => string;
  };
  const help = entry.help ? entry.help(extras.help ?? params) : undefined;
  return {
    code,
    severity: entry.severity,
    message: entry.message(params),
    span,
    ...(extras.label !== undefined ? { label: extras.label } : {}),
    labels: extras.labels ?? [],
    notes: extras.notes ?? [],
    ...(help !== undefined ? { help } : {}),
  };
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorts diagnostics by file name, then offset, then code, for stable output. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.span.file.name.localeCompare(b.span.file.name) ||
      a.span.start - b.span.start ||
      a.code.localeCompare(b.code),
  );
}

/** The most diagnostics one run reports, as graphql-js's `validate` caps its errors. */
const maxDiagnostics = 100;

/**
 * What a phase returns: sorted, without repeats (a primitive used on many edges reports its
 * own mistake once), at most `maxDiagnostics`.
 */
export function finalDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return sortDiagnostics(diagnostics)
    .filter((d) => {
      const key = `${d.span.file.name}:${d.span.start}:${d.span.end}:${d.code}:${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, maxDiagnostics);
}
