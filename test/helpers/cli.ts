import { join } from 'node:path';

import { main } from '../../src/cli/main.js';

/** The repository root: the CLI's working directory in tests (examples/ resolves from it). */
export const root = join(import.meta.dirname, '..', '..');

/**
 * Runs the CLI in-process (no colour, an environment of `env` only) and captures its output.
 * Searches run on one thread unless a test asks for workers (`--workers`): starting workers
 * from the TypeScript sources costs seconds each, and the test files already share the cores.
 */
export async function runCli(argv: string[], cwd = root, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    color: false,
    env: { DARTSC_WORKERS: '1', ...env },
  });
  return { code, stdout, stderr };
}
