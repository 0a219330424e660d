import { resolve } from 'node:path';

import { compile, formatDiagnostics, type Diagnostic, type Program } from '../index.js';
import { readUserFile, type CliIo } from './io.js';

/** Prints diagnostics in the pretty format (coloured on a terminal unless --no-color). */
export function reporter(io: CliIo, noColor = false) {
  return (diagnostics: readonly Diagnostic[]) =>
    io.stderr(formatDiagnostics(diagnostics, { format: 'pretty', color: io.color && !noColor }));
}

/**
 * Compiles the SPEC a command names; on errors prints them and returns undefined (warnings of
 * a spec that compiles are the `check` command's business).
 */
export function compileSpec(io: CliIo, spec: string, noColor = false): Program | undefined {
  const text = readUserFile(resolve(io.cwd, spec), spec);
  const compiled = compile({ path: spec, text }, { cwd: io.cwd });
  if (!compiled.value) reporter(io, noColor)(compiled.diagnostics);
  return compiled.value;
}
