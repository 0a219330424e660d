import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

import { report } from '../../index.js';
import { shownPath, UsageError, type CliIo } from '../io.js';
import type { CommandOptions } from '../flagProblem.js';

export const reportUsage = `usage: dartsc report RUN_DIR [--open]

Draws a run directory of \`dartsc run\` or \`dartsc train\` (finished, interrupted, or made by
an older dartsc) into RUN_DIR/report.html: the derived cells, α as a heat map and over
epochs, the loss and accuracy curves, a warning when parameter-free ops take over, and the
settings. The cells are also written as cell-<role>.svg and .dot. Runs rewrite their report
after every epoch; this rebuilds it. --open opens the page in the default browser.`;

/** The options of `dartsc report` (main.ts names them when one is mistyped). */
export const reportOptions = { open: { type: 'boolean', default: false } } satisfies CommandOptions;

/** `dartsc report RUN_DIR [--open]` */
export async function reportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: reportOptions,
  });
  if (positionals.length !== 1) throw new UsageError('report needs exactly one RUN_DIR');
  const written = await report(positionals[0]!, { cwd: io.cwd });
  for (const w of written.warnings) io.stderr(`warning: ${w}\n`);
  io.stdout(`wrote ${shownPath(written.path, io.cwd)}\n`);
  if (values.open) openInBrowser(written.path, io);
  return 0;
}

/** Hands the page to the desktop's opener; without one, says where the page is. */
function openInBrowser(path: string, io: CliIo): void {
  const [command, ...args] =
    io.platform === 'darwin'
      ? ['open', path]
      : io.platform === 'win32'
        ? ['cmd', '/c', 'start', '', path]
        : ['xdg-open', path];
  const child = spawn(command!, args, { detached: true, stdio: 'ignore', env: { ...io.env } });
  child.on('error', () =>
    io.stderr(`could not start ${command}: open ${shownPath(path, io.cwd)} in a browser\n`),
  );
  child.unref();
}
