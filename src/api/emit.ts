import { emitModule } from '../backends/ts/emitModule.js';
import { layerPlan } from '../backends/ts/layerPlan.js';
import type { Program } from './compile.js';
import type { GenotypeInput } from './genotypeInput.js';
import { requestNetwork, type NetworkRequest } from './network.js';
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
 * `createModel({ auxiliary: true })`). Returns the text; writes nothing. Without a genotype it
 * rejects with an `OptionError`.
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
  });
  return { value: { text, space: graph.space, genotype: genotype!.label }, diagnostics: [] };
}
