import type { ForwardOptions, Network } from '../backends/tfjs/network.js';
import type { Metrics } from './batches.js';
import { genotypeAlphas, genotypeMask } from './methods/randomSearch.js';
import type { SearchConfig } from '../elaborate/searchConfig.js';
import { defaultMethod } from '../intrinsics/methods.js';
import { deriveGenotype, tableWeights, type Genotype } from '../ir/genotype.js';
import { tf, type Tensor } from '../numerics/tf.js';
import type { BilevelModel } from './bilevel.js';
import type { SearchMethod, StepMoment } from './methods/method.js';
import { searchMethod } from './methods/searchMethod.js';
import { batchLoss, type Batch } from './batches.js';

/** The supernet under a search method: its bilevel model, its genotype and its α. */

/**
 * The network as a bilevel model: cross-entropy of a batch, in training mode, under the
 * search method's mixing at this moment, plus its loss on α (which moves no weight).
 */
export function networkModel(
  net: Network,
  method: SearchMethod = searchMethod(defaultMethod),
  moment: StepMoment = { epoch: 0, epochs: 1 },
): BilevelModel<Batch> {
  return {
    weights: net.weights,
    alphas: net.alphas,
    loss: (batch, weights, alphas, seed) => {
      const options = { training: true, weights, alphas, seed, ...method.forward(moment, seed) };
      const loss = batchLoss(net.forward(batch.x, options).logits, batch);
      return method.alphaLoss ? tf.add(loss, method.alphaLoss(alphas)) : loss;
    },
  };
}

/** The genotype derived from the current α, by the method's rule. */
export function currentGenotype(net: Network, method: SearchMethod): Genotype {
  return deriveGenotype(net.graph.tables, rawAlphas(net), method.probabilities);
}

/** The method's weights per table (softmax(α) for DARTS). */
export function alphaTables(net: Network, method: SearchMethod): Record<string, number[][]> {
  return tableWeights(net.graph.tables, rawAlphas(net), method.probabilities);
}

/** Raw α per table (what `alphas.json` stores). */
export function rawAlphas(net: Network): Record<string, number[][]> {
  return Object.fromEntries(net.graph.tables.map((t, i) => [t.name, rows(net.alphas[i]!)]));
}

function rows(t: Tensor): number[][] {
  return t.arraySync() as number[][];
}

/** The policies of a search's method (DARTS for configs written before there was one). */
export function methodOf(config: SearchConfig): SearchMethod {
  return searchMethod(config.method ?? defaultMethod);
}

/**
 * A method that picks its own genotype (random search) does it after each epoch: each of its
 * samples is scored by accuracy (or −loss) on up to 512 valid samples with the shared
 * weights, under the mask of its ops; α is left set to the best one.
 */
export function chooseGenotype(
  net: Network,
  method: SearchMethod,
  score: (forward: Partial<ForwardOptions>) => Metrics,
  seed: number,
): void {
  const assign = (genotype: Genotype) =>
    net.graph.tables.forEach((t, i) => {
      const cell = genotype[t.name];
      if (cell) tf.tidy(() => net.alphas[i]!.assign(tf.tensor2d(genotypeAlphas(t, cell))));
    });
  const chosen = method.choose!({
    tables: net.graph.tables,
    seed,
    score: (genotype) => {
      assign(genotype);
      const m = score({ mixing: genotypeMask });
      return m.accuracy ?? -m.loss;
    },
  });
  assign(chosen);
}
