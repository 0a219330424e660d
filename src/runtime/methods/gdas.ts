import { softmax } from '../../ir/genotype.js';
import type { MethodConfig } from '../../intrinsics/methods.js';
import { tf, type Tensor } from '../../numerics/tf.js';
import { Random } from '../../util/random.js';
import type { Mixing } from '../../backends/tfjs/network.js';
import type { SearchMethod, StepMoment } from './method.js';

/**
 * GDAS (D-X-Y/AutoDL-Projects, the DARTS-space `MixedOp.forward_gdas`): per edge and step,
 * Gumbel noise on log_softmax(α), divided by the temperature τ, softmax, and the argmax op
 * alone runs, times its straight-through weight one_hot − sg(p) + p (value 1, gradient ∂p).
 * τ falls linearly from `tau_max` at the first epoch to `tau_min` at the last.
 */
export function gdas(config: MethodConfig): SearchMethod {
  const [max, min] = [Number(config.args.tau_max), Number(config.args.tau_min)];
  return {
    config,
    forward: (moment, seed) => ({ mixing: gumbelMixing(temperature(max, min, moment), seed) }),
    probabilities: softmax,
  };
}

/** τ of an epoch: `max − (max − min) · epoch / (epochs − 1)`. */
export function temperature(max: number, min: number, { epoch, epochs }: StepMoment): number {
  return epochs <= 1 ? max : max - ((max - min) * epoch) / (epochs - 1);
}

/** Hard Gumbel-softmax per row, its noise drawn from `seed` (one stream per table). */
export function gumbelMixing(tau: number, seed: number): Mixing {
  return (alpha: Tensor, table: number) => {
    const [rows, columns] = alpha.shape as [number, number];
    const rng = new Random(seed * 7919 + table);
    // Gumbel(0, 1) = −log(E), E ~ Exp(1) = −log(U); U in (0, 1), never 0 (no infinities).
    const u = rng
      .uniform(rows * columns, 0.5)
      .map((v) => Math.min(1 - 1e-7, Math.max(1e-7, v + 0.5)));
    const gumbels = tf.tensor2d(
      u.map((v) => -Math.log(-Math.log(v))),
      [rows, columns],
    );
    const probs = tf.softmax(tf.div(tf.add(tf.logSoftmax(alpha), gumbels), tau));
    const values = probs.arraySync() as number[][];
    const selected = values.map((row) => row.indexOf(Math.max(...row)));
    const oneHot = tf.oneHot(tf.tensor1d(selected, 'int32'), columns).toFloat();
    // one_hot − stop_gradient(p) + p: a constant copy of p stops its gradient.
    const weights = tf.add(tf.sub(oneHot, tf.tensor2d(values)), probs);
    return { weights, selected };
  };
}
