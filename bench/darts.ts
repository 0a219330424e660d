import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { compile, type Program } from '../src/api/compile.js';
import { formatDiagnostics } from '../src/diagnostics/render.js';
import type { SearchConfig } from '../src/elaborate/searchConfig.js';
import { lower } from '../src/ir/lower.js';
import type { BackendName } from '../src/numerics/tf.js';
import { loadDataset } from '../src/runtime/data.js';
import { freshState, type SearchEngine } from '../src/runtime/search.js';
import { workerEngine } from '../src/runtime/workerEngine.js';
import { batch, repoRoot } from './cases.js';

/** The dartsc side of a step or eval case: a search network on random data, steps on demand. */

/** Compiles a spec of the repository (path relative to its root); throws its diagnostics. */
export function compileSpec(path: string): Program {
  const result = compile(join(repoRoot(), path), { cwd: repoRoot() });
  if (!result.value)
    throw new Error(formatDiagnostics(result.diagnostics, { format: 'short', color: false }));
  return result.value;
}

export interface CellRunner {
  /** Trainable weights (α excluded). */
  readonly params: number;
  step(): Promise<void>;
  evaluate(): Promise<void>;
  /** The wasm heap of every worker (null on other backends). */
  heaps(): Promise<(number | null)[]>;
  close(): Promise<void>;
}

/**
 * A fresh search state and worker engine for the spec's first search block, at `order`.
 * Always worker threads, even one (where `dartsc search` steps on its own thread at the same
 * speed): every case then starts on fresh wasm heaps, whose high-water mark is its memory.
 */
export async function cellRunner(
  spec: string,
  order: 'first' | 'second',
  workers: number,
  backend: BackendName,
): Promise<CellRunner> {
  const { config, data, state } = benchSearch(spec, order);
  const engine = await workerEngine(state, data, config, { workers, backend });
  const { step, validIdx } = benchSteps(engine);
  return {
    params: state.net.parameterCount(),
    step,
    evaluate: async () => void (await engine.evaluate(validIdx, batch)),
    heaps: () => engine.heaps(),
    close: async () => {
      await engine.close();
      state.net.dispose();
      state.sgd.dispose();
      state.adam.dispose();
    },
  };
}

/** A fresh search state for the spec's first search block at `order`, on its data at the bench's batch. */
export function benchSearch(spec: string, order: 'first' | 'second') {
  const search = compileSpec(spec).searches[0]!;
  const graph = lower(search.network);
  const config: SearchConfig = { ...search.config, order, batch };
  const classes = graph.nodes[graph.output]!.type.dims[0]!;
  const data = loadDataset(config.data, graph.nodes[0]!.type, classes);
  return { graph, config, data, state: freshState(graph, config) };
}

/** Steps on the same two batches (samples 0..31 train, 32..63 valid), with fresh seeds. */
export function benchSteps(engine: Pick<SearchEngine, 'step'>) {
  const trainIdx = Array.from({ length: batch }, (_, i) => i);
  const validIdx = trainIdx.map((i) => i + batch);
  let seed = 1;
  const step = async () => {
    seed += 2;
    await engine.step({ trainIdx, validIdx, lr: 0.025, seed, weightSeed: seed + 1, epoch: 0 });
  };
  return { step, validIdx };
}

/** The process's peak resident set in bytes (VmHWM where there is /proc, else maxRSS). */
export function maxRssBytes(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // no /proc: fall through
  }
  return process.resourceUsage().maxRSS * 1024;
}
