import { emitModule } from '../backends/ts/emitModule.js';
import { layerPlan } from '../backends/ts/layerPlan.js';
import { findSearch } from '../elaborate/elaborateProgram.js';
import { identityPreprocessing, type Preprocessing } from '../intrinsics/preprocessing.js';
import { DataError } from '../runtime/dataset.js';
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
  /** Why `PREPROCESSING` is the identity although the spec has data (it could not be loaded). */
  readonly warnings: readonly string[];
}

/**
 * The network derived from a genotype as a standalone TypeScript module of TensorFlow.js
 * layers. `auxiliary` adds the space's auxiliary head (a second output of
 * `createModel({ auxiliary: true })`). The module's `PREPROCESSING` is the search block's
 * data's, so emit loads that data; data it cannot load (CIFAR-10 files not exported yet) leaves
 * the identity, with a warning. Returns the text; writes nothing. Without a genotype it
 * rejects with an `OptionError`.
 */
export async function emit(program: Program, options: EmitOptions): Promise<Result<Emitted>> {
  if (options.genotype === undefined) throw new OptionError('emit needs a genotype');
  const built = requestNetwork(program, options);
  if (!built.value) return { diagnostics: built.diagnostics };
  const { graph, genotype } = built.value;
  const warnings: string[] = [];
  const text = await emitModule(layerPlan(graph), {
    spec: program.spec,
    genotype: genotype!.label,
    genotypeJson: genotype!.json,
    preprocessing: preprocessingOf(program, options, built.value, warnings),
  });
  const value = { text, space: graph.space, genotype: genotype!.label, warnings };
  return { value, diagnostics: [] };
}

/** The preprocessing of the data the network trains on; the identity for a spec without a search block. */
function preprocessingOf(
  program: Program,
  request: NetworkRequest,
  { model }: BuiltNetwork,
  warnings: string[],
): Preprocessing {
  const block = findSearch(program, program.entry.file, request.search).value;
  if (!block) return identityPreprocessing(model.input);
  try {
    return dataPreprocessing(block.config, model, program.path);
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    warnings.push(
      `warning: the data could not be loaded (${error.message}): the module's PREPROCESSING is the identity, so predictRaw takes inputs as the network does`,
    );
    return identityPreprocessing(model.input);
  }
}
