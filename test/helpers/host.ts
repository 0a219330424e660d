import { join } from 'node:path';

import { compile } from '../../src/api/compile.js';
import { check } from '../../src/check/check.js';
import type { CompilerHost } from '../../src/check/loadProgram.js';
import { nodeHost } from '../../src/api/host.js';
import type { Diagnostic } from '../../src/diagnostics/Diagnostic.js';
import { buildNetwork } from '../../src/elaborate/buildNetwork.js';
import { lower } from '../../src/ir/lower.js';

/**
 * A compiler host with an in-memory file system (absolute paths under /mem) in front of the
 * real standard library.
 */
export function memoryHost(files: Record<string, string> = {}): CompilerHost {
  const real = nodeHost('/mem');
  return {
    stdlibDir: real.stdlibDir,
    stdlibModules: real.stdlibModules,
    readFile: (path) => files[path] ?? (path.startsWith('/mem/') ? undefined : real.readFile(path)),
    // A path with files below it is a directory, as on a disk.
    stat: (path) => {
      if (files[path] !== undefined) return { size: files[path].length };
      if (Object.keys(files).some((f) => f.startsWith(path + '/')))
        return { size: 0, notAFile: 'a directory' };
      return path.startsWith('/mem/') ? undefined : real.stat?.(path);
    },
    displayName: (path) => real.displayName(path),
  };
}

/** Compiles a source text as `/mem/main.darts` (check and elaborate), with optional extra in-memory files. */
export function checkSource(
  text: string,
  files: Record<string, string> = {},
): { diagnostics: readonly Diagnostic[] } {
  return compile(
    { path: join('/mem', 'main.darts'), text },
    { host: memoryHost(files), cwd: '/mem' },
  );
}

/** The diagnostics of a source as `{ code, message, line, column }`, for deepEqual. */
export function expectDiagnostics(text: string, files: Record<string, string> = {}) {
  return checkSource(text, files).diagnostics.map((d) => {
    const { line, column } = d.span.file.getLocation(d.span.start);
    return { code: d.code, message: d.message, line, column };
  });
}

/**
 * Removes the common indentation of a text, and its first and last blank lines. Works as a
 * plain function and as a template tag.
 */
export function dedent(input: string | TemplateStringsArray, ...values: unknown[]): string {
  const text =
    typeof input === 'string'
      ? input
      : input.raw.reduce(
          (out, part, i) => out + part + (i < values.length ? String(values[i]) : ''),
          '',
        );
  const lines = text
    .replace(/^\n/, '')
    .replace(/\n\s*$/, '')
    .split('\n');
  const indent = Math.min(
    ...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length),
  );
  return lines.map((l) => l.slice(indent)).join('\n') + '\n';
}

/** The IR of the network a source describes (its search's space, or its only space). */
export function graphOf(text: string, options: Parameters<typeof buildNetwork>[1] = {}) {
  const checked = check(join('/mem', 'main.darts'), text, memoryHost());
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((d) => d.message).join('\n'));
  const built = buildNetwork(
    { entry: checked.value.program.entry, scopes: checked.value.scopes },
    options,
  );
  if (!built.value) throw new Error(built.diagnostics.map((d) => d.message).join('\n'));
  return lower(built.value);
}
