import { emitModule } from '../backends/ts/emitModule.js';
import { layerPlan } from '../backends/ts/layerPlan.js';
import { findSearch } from '../elaborate/elaborateProgram.js';
import { identityPreprocessing, type Preprocessing } from '../intrinsics/preprocessing.js';
import { dataPreprocessing } from '../runtime/searchData.js';
import type { Program } from './compile.js';
import type { GenotypeInput } from './genotypeInput.js';
import { requestNetwork, type BuiltNetwork, type NetworkRequest } from './network.js';
import { OptionError, type Result } from './result.js';

export interface EmitOptions extends Omit<NetworkRequest, 'genotype'> {
  /** The genotype whose network to emit (required). */
  readonly genotype: GenotypeInput;
}

/** An emitted module. */
export interface Emitted {
  /** The TypeScript source: imports only @tensorflow/tfjs, exports `createModel(options)`. */
  readonly text: string;
  readonly space: string;
  /** The genotype, as the request named it. */
  readonly genotype: string;
}

/**
 * The network derived from a genotype as a standalone TypeScript module of TensorFlow.js
 * layers. `auxiliary` adds the space's auxiliary head (a second output of
 * `createModel({ auxiliary: true })`). The module's `PREPROCESSING` is the search block's
 * data's, so emit loads that data (and rejects with a `DataError` when it cannot). Returns the
 * text; writes nothing. Without a genotype it rejects with an `OptionError`.
 */
export async function emit(program: Program, options: EmitOptions): Promise<Result<Emitted>> {
  if (options.genotype === undefined) throw new OptionError('emit needs a genotype');
  const built = requestNetwork(program, options);
  if (!built.value) return { diagnostics: built.diagnostics };
  const { graph, genotype } = built.value;
  const text = await emitModule(layerPlan(graph), {
    spec: program.spec,
    genotype: genotype!.label,
    genotypeJson: genotype!.json,
    preprocessing: preprocessingOf(program, options, built.value),
  });
  return { value: { text, space: graph.space, genotype: genotype!.label }, diagnostics: [] };
}

/** The preprocessing of the data the network trains on; the identity for a spec without a search block. */
function preprocessingOf(
  program: Program,
  request: NetworkRequest,
  { model }: BuiltNetwork,
): Preprocessing {
  const block = findSearch(program, program.entry.file, request.search).value;
  return block
    ? dataPreprocessing(block.config, model, program.path)
    : identityPreprocessing(model.input);
}
