import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { RunDir, RunDirError } from '../runtime/runDir.js';
import type { Program } from './compile.js';

/** Opens the run directory to resume, refusing a spec other than the one it started from. */
export function resumedRun(program: Program, resume: string | undefined): RunDir | undefined {
  if (resume === undefined) return undefined;
  const dir = RunDir.open(resolve(program.cwd, resume));
  dir.checkSpec(program.path, program.entry.file.text);
  return dir;
}

/**
 * The spec a run directory was started from, so that `dartsc run --resume DIR` needs no SPEC.
 * A `RunDirError` when the directory does not record it (an older dartsc) or the spec is gone.
 */
export function resumeSpec(dir: string, cwd = process.cwd()): string {
  const run = RunDir.open(resolve(cwd, dir));
  const spec = run.specPath();
  if (!spec)
    throw new RunDirError(
      `\`${dir}\` does not record its spec (an older dartsc made it): give the SPEC as well`,
    );
  if (!existsSync(spec))
    throw new RunDirError(
      `\`${spec}\`, the spec this run started from, is gone: put it back (a copy is in ${join(run.path, 'spec.darts')}) and resume`,
    );
  return spec;
}
