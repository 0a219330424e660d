import { chmodSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { writeFileDurable } from '../../util/durableFile.js';
import { InternalError } from '../../util/invariant.js';
import { diagnosticFormats } from '../../diagnostics/render.js';
import {
  format as formatSource,
  formatDiagnostics,
  type Diagnostic,
  type DiagnosticFormat,
} from '../../index.js';
import { readUserFile, UsageError, type CliIo } from '../io.js';
import type { CommandOptions } from '../flagProblem.js';

export const fmtUsage = `usage: dartsc fmt [--check] FILE... [--diagnostic-format pretty|short|json] [--no-color]

Rewrites .darts files in their canonical layout, in place, and names each file it changed.
Comments stay where they are; a file that does not parse is reported and left as it is.
  --check    write nothing: name the files that are not formatted
Exit status: 0 when every file is (now) formatted, 1 when --check finds one that is not or
a file does not parse, 2 for a usage error, 70 when the formatter refuses a file it cannot
lay out without moving a comment (a bug; the file is left as it is).`;

/** The options of `dartsc fmt` (main.ts names them when one is mistyped). */
export const fmtOptions = {
  check: { type: 'boolean', default: false },
  'diagnostic-format': { type: 'string', default: 'pretty' },
  'no-color': { type: 'boolean', default: false },
} satisfies CommandOptions;

/** `dartsc fmt [--check] FILE...` */
export function fmtCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: fmtOptions });
  const format = values['diagnostic-format'] as DiagnosticFormat;
  if (!diagnosticFormats.includes(format)) {
    throw new UsageError(
      `unknown diagnostic format \`${format}\` (expected pretty, short or json)`,
    );
  }
  if (positionals.length === 0) throw new UsageError('fmt needs at least one FILE');
  const color = io.color && !values['no-color'];
  const show = (diagnostics: readonly Diagnostic[]) =>
    io.stderr(formatDiagnostics(diagnostics, { format, color }));
  let failed = false;
  let refused = false;
  const changed: string[] = [];
  for (const name of positionals) {
    const path = resolve(io.cwd, name);
    const text = readUserFile(path, name);
    const result = formatted(text, name, io);
    if (result === 'refused') {
      refused = true;
      continue;
    }
    if (result.value === undefined) {
      show(result.diagnostics);
      failed = true;
      continue;
    }
    if (result.value === text) continue;
    changed.push(name);
    if (!values.check) writeInPlace(path, result.value);
  }
  if (values.check) {
    for (const name of changed) io.stdout(`${name}\n`);
    if (changed.length) io.stderr(`${plural(changed.length)} not formatted (run dartsc fmt)\n`);
    return refused ? 70 : failed || changed.length ? 1 : 0;
  }
  for (const name of changed) io.stdout(`formatted ${name}\n`);
  return refused ? 70 : failed ? 1 : 0;
}

/**
 * The file formatted, or 'refused' when the formatter's own check found that its layout
 * would move a comment or change the tree: a formatter bug, reported in one line (exit 70,
 * as for any internal error) with the file left as it is.
 */
function formatted(text: string, name: string, io: CliIo) {
  try {
    return formatSource({ text, path: name });
  } catch (error) {
    if (!(error instanceof InternalError)) throw error;
    io.stderr(
      `error: cannot format ${name}: ${error.message.replace(/^fmt: /, '')}; the file is left as it is (a formatter bug: please report it with the file)\n`,
    );
    return 'refused' as const;
  }
}

/**
 * Replaces a file whole (a temporary file renamed over it, so a kill leaves the old text or
 * the new, never half), keeping its mode; through a symbolic link, the file it names.
 */
function writeInPlace(path: string, text: string): void {
  const target = realpathSync(path);
  const { mode } = statSync(target);
  writeFileDurable(target, text);
  chmodSync(target, mode);
}

function plural(n: number): string {
  return `${n} file${n === 1 ? '' : 's'}`;
}
