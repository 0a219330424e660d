import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { hasErrors } from '../../diagnostics/Diagnostic.js';
import {
  diagnosticFormats,
  formatDiagnostics,
  type DiagnosticFormat,
} from '../../diagnostics/render.js';
import { compile, nodeHost, pytorchEngineProblems } from '../../index.js';
import { readUserFile, UsageError, type CliIo } from '../io.js';
import { engineFlags } from '../backendFlag.js';
import type { CommandOptions } from '../flagProblem.js';

export const checkUsage = `usage: dartsc check FILE... [--diagnostic-format pretty|short|json] [--engine tfjs|pytorch]
                    [--no-color]

Checks .darts files and everything they import. --engine pytorch also checks that the
PyTorch engine can run every search block (E0503: an op without a PyTorch lowering, a search
method it does not run). Exit status: 0 when there are no errors (warnings allowed), 1 when
there are errors, 2 for a usage error.`;

/** The options of `dartsc check` (main.ts names them when one is mistyped). */
export const checkOptions = {
  'diagnostic-format': { type: 'string', default: 'pretty' },
  engine: { type: 'string' },
  'no-color': { type: 'boolean', default: false },
} satisfies CommandOptions;

/** `dartsc check FILE...` */
export function checkCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: checkOptions,
  });
  const format = values['diagnostic-format'] as DiagnosticFormat;
  if (!diagnosticFormats.includes(format)) {
    throw new UsageError(
      `unknown diagnostic format \`${format}\` (expected pretty, short or json)`,
    );
  }
  if (positionals.length === 0) throw new UsageError('check needs at least one FILE');
  const { engine } = engineFlags({ engine: values.engine }, { ...io, env: {} });
  const host = nodeHost(io.cwd);
  let failed = false;
  let errors = 0;
  let warnings = 0;
  for (const name of positionals) {
    const path = resolve(io.cwd, name);
    const compiled = compile({ path, text: readUserFile(path, name) }, { cwd: io.cwd, host });
    const result = engine === 'pytorch' ? withEngineProblems(compiled) : compiled;
    io.stderr(
      formatDiagnostics(result.diagnostics, { format, color: io.color && !values['no-color'] }),
    );
    failed ||= hasErrors(result.diagnostics);
    errors += result.diagnostics.filter((d) => d.severity === 'error').length;
    warnings += result.diagnostics.filter((d) => d.severity === 'warning').length;
  }
  if (format !== 'json') {
    const files = `${positionals.length} file${positionals.length === 1 ? '' : 's'}`;
    const summary =
      errors + warnings === 0
        ? `checked ${files}: no problems`
        : `checked ${files}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
    io.stderr(summary + '\n');
  }
  return failed ? 1 : 0;
}

/** A checked program with E0503 for every search block the PyTorch engine cannot run. */
function withEngineProblems(result: ReturnType<typeof compile>): ReturnType<typeof compile> {
  if (!result.value) return result;
  return {
    ...result,
    diagnostics: [...result.diagnostics, ...pytorchEngineProblems(result.value)],
  };
}
