import { join } from 'node:path';

import { main } from '../../src/cli/main.js';

/** The repository root: the CLI's working directory in tests (examples/ resolves from it). */
export const root = join(import.meta.dirname, '..', '..');

/** Runs the CLI in-process (no colour, empty environment) and captures its output. */
export async function runCli(argv: string[], cwd = root) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    color: false,
    env: {},
  });
  return { code, stdout, stderr };
}
