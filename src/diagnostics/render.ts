import type { SourceFile } from '../source/SourceFile.js';
import { codeFrame, type Mark, type Paint } from './codeFrame.js';
import type { Diagnostic } from './Diagnostic.js';

/** The output formats of `--diagnostic-format`. */
export type DiagnosticFormat = 'pretty' | 'short' | 'json';
export const diagnosticFormats: readonly DiagnosticFormat[] = ['pretty', 'short', 'json'];

/** Options for rendering diagnostics. */
export interface RenderOptions {
  readonly format: DiagnosticFormat;
  /** ANSI colour; the CLI turns it on only for a TTY with NO_COLOR unset. */
  readonly color?: boolean;
}

const ansi = (code: string) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
const plain = (s: string) => s;

/** Renders diagnostics as one string (ending in a newline unless empty). */
export function formatDiagnostics(
  diagnostics: readonly Diagnostic[],
  options: RenderOptions,
): string {
  if (options.format === 'json') {
    return (
      diagnostics.map((d) => JSON.stringify(toJson(d))).join('\n') +
      (diagnostics.length ? '\n' : '')
    );
  }
  const render =
    options.format === 'short'
      ? formatShort
      : (d: Diagnostic) => formatPretty(d, options.color ?? false);
  return diagnostics.map((d) => render(d) + '\n').join(options.format === 'pretty' ? '\n' : '');
}

/** `file:line:col: error[E0101]: message`, on one line. */
export function formatShort(d: Diagnostic): string {
  const { line, column } = d.span.file.getLocation(d.span.start);
  return `${d.span.file.name}:${line}:${column}: ${d.severity}[${d.code}]: ${d.message}`;
}

/** The rustc-shaped report: header, location arrow, code frame, notes and help. */
export function formatPretty(d: Diagnostic, color: boolean): string {
  const paint = {
    gutter: color ? ansi('1;34') : plain,
    primary: color ? ansi(d.severity === 'error' ? '1;31' : '1;33') : plain,
    secondary: color ? ansi('1;34') : plain,
  } satisfies Paint;
  const bold = color ? ansi('1') : plain;
  const file = d.span.file;
  const { line, column } = file.getLocation(d.span.start);
  const out = [
    paint.primary(`${d.severity}[${d.code}]`) + bold(`: ${d.message}`),
    `${paint.gutter('  -->')} ${file.name}:${line}:${column}`,
  ];
  const marks: Mark[] = [{ span: d.span, primary: true, ...(d.label ? { message: d.label } : {}) }];
  const elsewhere = new Map<SourceFile, Mark[]>();
  for (const label of d.labels) {
    const mark = { span: label.span, message: label.message, primary: false };
    if (label.span.file === file) marks.push(mark);
    else elsewhere.set(label.span.file, [...(elsewhere.get(label.span.file) ?? []), mark]);
  }
  const indent = (rows: string[]) => rows.map((r) => '  ' + r);
  out.push(...indent(codeFrame(file, marks, paint)));
  for (const [other, otherMarks] of elsewhere) {
    const loc = other.getLocation(otherMarks[0]!.span.start);
    out.push(`${paint.gutter('  :::')} ${other.name}:${loc.line}:${loc.column}`);
    out.push(...indent(codeFrame(other, otherMarks, paint)));
  }
  for (const note of d.notes) out.push(`   ${paint.gutter('=')} ${bold('note')}: ${note}`);
  if (d.help) out.push(`   ${paint.gutter('=')} ${bold('help')}: ${d.help}`);
  return out.join('\n');
}

/** The stable JSON shape of a diagnostic, for tools. */
export function toJson(d: Diagnostic) {
  const at = (span: Diagnostic['span']) => {
    const start = span.file.getLocation(span.start);
    const end = span.file.getLocation(span.end);
    return {
      file: span.file.name,
      start: { offset: span.start, line: start.line, column: start.column },
      end: { offset: span.end, line: end.line, column: end.column },
    };
  };
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    span: at(d.span),
    ...(d.label ? { label: d.label } : {}),
    labels: d.labels.map((l) => ({ message: l.message, span: at(l.span) })),
    notes: d.notes,
    ...(d.help ? { help: d.help } : {}),
  };
}
