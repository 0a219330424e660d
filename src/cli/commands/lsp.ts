import { parseArgs } from 'node:util';

import { startLanguageServer } from '../../lsp/server.js';
import { UsageError, type CliIo } from '../io.js';
import type { CommandOptions } from '../flagProblem.js';

export const lspUsage = `usage: dartsc lsp [--stdio]

Runs the language server: the Language Server Protocol on stdin and stdout (the default,
and the only transport), logs on stderr. Diagnostics as you type, hover, go to definition,
completion, rename, document symbols, quick fixes and formatting (docs/editors.md).
--clientProcessId PID, which some clients pass, ends the server when that process is gone.`;

/** The options of `dartsc lsp` (main.ts names them when one is mistyped). */
export const lspOptions = {
  stdio: { type: 'boolean', default: true },
  // Some clients pass their process id; the server library reads it to exit with its client.
  clientProcessId: { type: 'string' },
} satisfies CommandOptions;

/** `dartsc lsp [--stdio]`: serves until the client exits (the server then ends the process). */
export function lspCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: lspOptions });
  if (positionals.length > 0)
    throw new UsageError(`lsp takes no arguments, got \`${positionals[0]}\``);
  if (!io.streams) throw new UsageError('lsp needs the standard input and output of a process');
  startLanguageServer({
    input: io.streams.input,
    output: io.streams.output,
    log: io.stderr,
    cwd: io.cwd,
    version: '0.1.0',
  });
  return new Promise<number>(() => {});
}
