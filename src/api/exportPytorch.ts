import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { findSearch } from '../elaborate/elaborateProgram.js';
import { lower } from '../ir/lower.js';
import { freshState } from '../runtime/search.js';
import { programConfig, writeProgramDir } from '../runtime/torch/torchEngine.js';
import { writeFileDurable } from '../util/durableFile.js';
import type { Program } from './compile.js';
import { exportReadme } from './exportReadme.js';
import { prepare } from './prepare.js';
import { checkCounts, OptionError, type Result } from './result.js';
import { withOverrides, type SearchOverrides } from './search.js';
import { pytorchProblems } from './torchSearch.js';

export interface ExportOptions extends SearchOverrides {
  /** A new (or empty) directory to write. */
  readonly out: string;
}

export interface ExportResult {
  readonly dir: string;
  readonly files: readonly string[];
}

/**
 * Writes a search block's search as a standalone PyTorch program (docs/engines.md):
 * `program.py` (the same program `dartsc run --engine pytorch` drives), `data/` (the samples
 * from dartsc's loaders as .npy, the splits, the initial weights and α) and a README with the
 * torchrun commands. Diagnostics as for `search`, and E0503 for what PyTorch cannot run.
 */
export async function exportPytorch(
  program: Program,
  options: ExportOptions,
): Promise<Result<ExportResult>> {
  checkCounts(options);
  const dir = resolve(program.cwd, options.out);
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new OptionError(`${options.out} exists and is not empty; export writes a new directory`);
  const block = findSearch(program, program.entry.file, options.search);
  if (!block.value) return { diagnostics: block.diagnostics };
  const graph = lower(block.value.network);
  const config = withOverrides(block.value.config, options);
  const refused = pytorchProblems(block.value, graph, config, program);
  if (refused.length) return { diagnostics: refused };
  const network = { model: block.value.network, graph };
  const request = { backend: 'cpu' as const, batch: config.batch, data: config };
  const prepared = await prepare(program, block.value, network, request, () => {});
  if (!prepared.value) return { diagnostics: prepared.diagnostics };
  const { data, splits } = prepared.value;
  const state = freshState(graph, config);
  try {
    const settings = { config: programConfig(config), origin: program.spec, splits };
    writeProgramDir(dir, graph, data, settings, state);
  } finally {
    state.net.dispose();
    state.sgd.dispose();
    state.adam.dispose();
  }
  writeFileDurable(join(dir, 'README.md'), exportReadme(program.spec, graph.space, config));
  const files = ['program.py', 'README.md', 'data/x.npy', 'data/y.npy', 'data/splits.json'];
  return { value: { dir, files }, diagnostics: [] };
}
