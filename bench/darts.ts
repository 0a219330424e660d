import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { compile, type Program } from '../src/api/compile.js';
import { formatDiagnostics } from '../src/diagnostics/render.js';
import type { SearchConfig } from '../src/elaborate/searchConfig.js';
import { lower } from '../src/ir/lower.js';
import { tf } from '../src/numerics/tf.js';
import { loadDataset } from '../src/runtime/data.js';
import type { Dataset } from '../src/runtime/dataset.js';
import {
  freshState,
  localEngine,
  type SearchEngine,
  type SearchState,
} from '../src/runtime/search.js';
import { batch, repoRoot } from './cases.js';

/** The dartsc side of a step or eval case: a search network on random data, steps on demand. */

/** Compiles a spec of the repository (path relative to its root); throws its diagnostics. */
export function compileSpec(path: string): Program {
  const result = compile(join(repoRoot(), path), { cwd: repoRoot() });
  if (!result.value)
    throw new Error(formatDiagnostics(result.diagnostics, { format: 'short', color: false }));
  return result.value;
}

/**
 * The engine the bench times: the one seam to switch when the worker-thread engine lands
 * (`workers` > 0 will select it; it has the same interface).
 */
function makeEngine(
  state: SearchState,
  data: Dataset,
  config: SearchConfig,
  _options: { readonly workers: number },
): SearchEngine {
  return localEngine(state, data, config);
}

export interface CellRunner {
  /** Trainable weights (α excluded). */
  readonly params: number;
  step(): Promise<void>;
  evaluate(): Promise<void>;
  /** The peak bytes of tensors during one step (tf.profile). */
  peakStepBytes(): Promise<number>;
  close(): Promise<void>;
}

/** A fresh search state and engine for the spec's first search block, at `order`. */
export function cellRunner(spec: string, order: 'first' | 'second', workers = 0): CellRunner {
  const search = compileSpec(spec).searches[0]!;
  const graph = lower(search.network);
  const config: SearchConfig = { ...search.config, order, batch };
  const classes = graph.nodes[graph.output]!.type.dims[0]!;
  const data = loadDataset(config.data, graph.nodes[0]!.type, classes);
  const state = freshState(graph, config);
  const engine = makeEngine(state, data, config, { workers });
  const trainIdx = Array.from({ length: batch }, (_, i) => i);
  const validIdx = trainIdx.map((i) => i + batch);
  let seed = 1;
  const step = async () => {
    seed += 2;
    await engine.step({ trainIdx, validIdx, lr: 0.025, seed, weightSeed: seed + 1 });
  };
  return {
    params: state.net.parameterCount(),
    step,
    evaluate: async () => void (await engine.evaluate(validIdx, batch)),
    peakStepBytes: async () => (await tf.profile(step)).peakBytes,
    close: async () => {
      await engine.close();
      state.net.dispose();
      state.sgd.dispose();
      state.adam.dispose();
    },
  };
}

/** The size of the wasm backend's heap (it only grows: the high-water mark), or undefined. */
export function wasmHeapBytes(): number | undefined {
  const backend = tf.backend() as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.buffer.byteLength;
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
