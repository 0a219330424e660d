import type { MethodConfig } from '../../intrinsics/methods.js';
import { tf } from '../../numerics/tf.js';
import type { SearchMethod } from './method.js';

/**
 * FairDARTS (xiaomi-automl/FairDARTS): an independent sigmoid per candidate, so candidates
 * do not compete, and the zero-one loss −w · mean((σ(α) − 0.5)²) over every table's entries,
 * which pushes each σ towards 0 or 1. The genotype ranks edges by their largest σ as DARTS
 * does (the reference then drops a kept edge whose σ is under the threshold, which can leave
 * a node without inputs; dartsc keeps the cell whole and reports the threshold instead).
 */
export function fairDarts(config: MethodConfig): SearchMethod {
  const weight = Number(config.args.zero_one);
  return {
    config,
    forward: () => ({ mixing: (alpha) => ({ weights: tf.sigmoid(alpha) }) }),
    alphaLoss: (alphas) => {
      const all = tf.concat(alphas.map((a) => tf.reshape(tf.sigmoid(a), [-1])));
      return tf.mul(tf.mean(tf.square(tf.sub(all, 0.5))), -weight) as tf.Scalar;
    },
    probabilities: (row) => row.map((a) => 1 / (1 + Math.exp(-a))),
  };
}
