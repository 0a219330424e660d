import { diagnostic } from '../diagnostics/Diagnostic.js';
import type { ElaboratedSearch } from '../elaborate/elaborateProgram.js';
import type { RunDir } from '../runtime/runDir.js';
import { Diverged } from '../runtime/diverged.js';
import type { Program } from './compile.js';
import type { Result } from './result.js';

/**
 * Runs a search or retrain loop; a `Diverged` (a NaN or infinite loss, weight or α) becomes
 * E0502 at the block's optimizer settings, saying which checkpoint is left to go back to.
 */
export async function unlessDiverged<T>(
  program: Program,
  block: ElaboratedSearch,
  runDir: RunDir | undefined,
  run: () => Promise<T>,
): Promise<Result<T>> {
  try {
    return { value: await run(), diagnostics: [] };
  } catch (error) {
    if (!(error instanceof Diverged)) throw error;
    const span = block.spans.weights ?? block.spans.arch ?? program.entry.file.span(0, 0);
    const checkpoint = !runDir
      ? 'nothing is saved without a run directory'
      : error.epoch > 0
        ? `the checkpoint of epoch ${error.epoch} in ${runDir.path} is the last good state`
        : 'no epoch had finished';
    return { diagnostics: [diagnostic('E0502', span, { what: error.message, checkpoint })] };
  }
}
