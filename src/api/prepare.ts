import { checkWasmMemory } from '../backends/tfjs/memory.js';
import type { ElaboratedSearch } from '../elaborate/elaborateProgram.js';
import type { NetworkModel } from '../elaborate/model.js';
import type { SearchConfig } from '../elaborate/searchConfig.js';
import type { IrGraph } from '../ir/graph.js';
import { selectBackend, type BackendName } from '../numerics/tf.js';
import type { Dataset, Splits } from '../runtime/data.js';
import { loadSearchData } from '../runtime/searchData.js';
import type { Program } from './compile.js';
import type { Result } from './result.js';

/** What a search and a retrain both need before their first step. */
export interface Prepared {
  readonly backend: BackendName;
  readonly data: Dataset;
  readonly splits: Splits;
}

/**
 * Starts the backend (warning on a fallback), refuses a batch the wasm heap cannot hold
 * (E0501), and loads the search block's data for the network (E0413 when it does not fit,
 * a pipeline problem found in a file); diagnostics point at the block's `batch` and `data`
 * settings, or the stage of the data pipeline.
 */
export async function prepare(
  program: Program,
  block: ElaboratedSearch,
  network: { readonly model: NetworkModel; readonly graph: IrGraph },
  request: {
    readonly backend?: BackendName;
    readonly batch: number;
    /** Search workers sharing each batch, each with its own wasm heap (default 1). */
    readonly workers?: number;
    /** The data settings (a resumed search keeps its own). */
    readonly data: Pick<SearchConfig, 'data' | 'split'>;
  },
  warn: (message: string) => void,
): Promise<Result<Prepared>> {
  const backend = await selectBackend(request.backend ?? 'wasm', warn);
  const at = (key: string) => block.spans[key] ?? program.entry.file.span(0, 0);
  const tooBig =
    backend === 'wasm' &&
    checkWasmMemory(network.graph, request.batch, at('batch'), request.workers);
  if (tooBig) return { diagnostics: [tooBig] };
  // A resumed run keeps its own data settings: the spec's stages place problems only if the same.
  const same = JSON.stringify(request.data.data) === JSON.stringify(block.config.data);
  const sites = same ? block.dataSites : undefined;
  const loaded = loadSearchData(request.data, network.model, program.path, at('data'), sites);
  if ('misfit' in loaded) return { diagnostics: [loaded.misfit] };
  return { value: { backend, ...loaded }, diagnostics: [] };
}
