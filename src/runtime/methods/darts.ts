import { softmax } from '../../ir/genotype.js';
import type { MethodConfig } from '../../intrinsics/methods.js';
import type { SearchMethod } from './method.js';

/** DARTS: softmax over each edge's candidates (the network's default mixing). */
export function darts(config: MethodConfig): SearchMethod {
  return { config, forward: () => ({}), probabilities: softmax };
}
