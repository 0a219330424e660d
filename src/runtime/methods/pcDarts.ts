import { softmax } from '../../ir/genotype.js';
import type { MethodConfig } from '../../intrinsics/methods.js';
import type { SearchMethod } from './method.js';

/**
 * PC-DARTS (yuhuixu1993/PC-DARTS): its partial channels and edge weights β are structure,
 * built into the supernet when it is elaborated (`elaborate/partialEdge.ts`, the `.edges`
 * tables); what is left for the loop is the warm-up: α and β stay frozen for the first
 * `warmup` epochs (15 in the reference), while the weights train.
 */
export function pcDarts(config: MethodConfig): SearchMethod {
  const warmup = Number(config.args.warmup);
  return {
    config,
    forward: () => ({}),
    frozen: ({ epoch }) => epoch < warmup,
    probabilities: softmax,
  };
}
