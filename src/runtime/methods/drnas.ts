import { softmax } from '../../ir/genotype.js';
import type { MethodConfig } from '../../intrinsics/methods.js';
import { tf, type Tensor } from '../../numerics/tf.js';
import { Random } from '../../util/random.js';
import { dirichletSample, klToUniform } from './dirichlet.js';
import type { SearchMethod } from './method.js';

/**
 * DrNAS (xiangning-chen/DrNAS, `DARTS-space/model_search.py`): each step an edge's mixing
 * weights are a sample of Dir(elu(α) + 1), differentiated pathwise (`dirichlet.ts`), so α
 * learns a distribution over the candidates rather than one mixture. The regulariser is the
 * reference's default `l2`, the α optimizer's weight decay (`arch adam(decay: 1e-3)`, as
 * `reg_scale`), or with `kl: s` its `kl` one, s · Σ KL(Dir(elu(α) + 1) ‖ Dir(1)) (1e-3 in the
 * reference); the progressive pruning and the partial channels of the reference's full method
 * are not part of `drnas` here. The genotype is derived from softmax(α), as the reference's
 * `genotype()` does.
 */
export function drnas(config: MethodConfig): SearchMethod {
  const kl = Number(config.args.kl);
  return {
    config,
    ...(kl > 0
      ? {
          alphaLoss: (alphas: readonly Tensor[]) =>
            tf.mul(tf.addN(alphas.map((a) => klToUniform(tf.add(tf.elu(a), 1)))), kl) as tf.Scalar,
        }
      : {}),
    forward: (_moment, seed) => ({
      mixing: (alpha, table) => ({
        weights: dirichletSample(tf.add(tf.elu(alpha), 1), new Random(seed * 7919 + table)),
      }),
    }),
    probabilities: softmax,
  };
}
