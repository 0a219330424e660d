import { tf, type Tensor, type Variable } from '../numerics/tf.js';
import { gradientsAt, type Sgd } from './optim.js';

/**
 * The α gradient of DARTS (darts-semantics §6.5, §6.6), over any model with a functional
 * loss, so the same code runs the search and the paper's scalar toy problem in the tests.
 * Weights are never modified here: the virtual weights w' and the perturbed w± are new
 * tensors, so "restoring w exactly" holds by construction.
 */
export interface BilevelModel<Batch> {
  readonly weights: readonly Variable[];
  readonly alphas: readonly Variable[];
  /** The scalar loss on `batch` at the given weights and α; `seed` fixes random masks. */
  loss(
    batch: Batch,
    weights: readonly Tensor[],
    alphas: readonly Tensor[],
    seed: number,
  ): tf.Scalar;
}

/** What the second-order step needs besides the model and the batches. */
export interface AlphaGradientOptions {
  readonly order: 'first' | 'second';
  /** ξ: the current weight learning rate. */
  readonly xi: number;
  /** The weight optimizer, for its momentum buffers and decay in the virtual step. */
  readonly sgd: Sgd;
  /** Seed of the train batch's masks, shared by every evaluation on it (w, w+, w−); the valid batch uses seed + 1. */
  readonly seed: number;
  /**
   * Combines gradients over a batch split between workers (each computes on its share);
   * identity on one thread.
   */
  readonly reduce?: GradientReduce;
}

/** How the gradients of a train-batch and of a valid-batch loss are combined across workers. */
export interface GradientReduce {
  readonly train: (grads: Tensor[]) => Tensor[];
  readonly valid: (grads: Tensor[]) => Tensor[];
}

const noReduce: GradientReduce = { train: (g) => g, valid: (g) => g };

/** The α gradient: ∇α L_val(w, α) (first order), or the unrolled gradient (second order). */
export function alphaGradient<B>(
  model: BilevelModel<B>,
  train: B,
  valid: B,
  options: AlphaGradientOptions,
): Tensor[] {
  const { weights, alphas } = model;
  const reduce = options.reduce ?? noReduce;
  if (options.order === 'first') {
    const loss = (...a: Tensor[]) => model.loss(valid, weights, a, options.seed + 1);
    return reduce.valid(gradientsAt(loss, alphas));
  }
  const nw = weights.length;
  // 1. g = ∇w L_train(w, α); 2. w' = w − ξ(μ·buf + g + λw), no clipping.
  const trainLoss = (...w: Tensor[]) => model.loss(train, w, alphas, options.seed);
  const g = reduce.train(gradientsAt(trainLoss, weights));
  const virtual = options.sgd.virtual(weights, g, options.xi);
  // 3. dα = ∇α L_val(w', α) and v = ∇w' L_val(w', α).
  const validLoss = (...t: Tensor[]) =>
    model.loss(valid, t.slice(0, nw), t.slice(nw), options.seed + 1);
  const both = reduce.valid(gradientsAt(validLoss, [...virtual, ...alphas]));
  const v = both.slice(0, nw);
  const dAlpha = both.slice(nw);
  // 4. H·v ≈ [∇α L_train(w+, α) − ∇α L_train(w−, α)] / (2ε), at w (not w').
  const hv = finiteDifferenceHvp(model, train, v, options.seed, reduce.train);
  // 5. gα = dα − ξ·H·v.
  return dAlpha.map((d, i) => tf.sub(d, tf.mul(hv[i]!, options.xi)));
}

/**
 * ∇²_{α,w} L_train(w, α) · v by central differences on w: ε = 0.01/‖v‖ (global norm),
 * w± = w ± εv, and [∇α L(w+) − ∇α L(w−)] / (2ε), the division by (2ε) as a whole. Zero when
 * v is zero (the reference would divide by zero). Both evaluations use the same masks.
 */
export function finiteDifferenceHvp<B>(
  model: BilevelModel<B>,
  batch: B,
  v: readonly Tensor[],
  seed: number,
  reduce: (grads: Tensor[]) => Tensor[] = (g) => g,
): Tensor[] {
  const norm = Math.sqrt(tf.addN(v.map((t) => tf.sum(tf.square(t)))).dataSync()[0]!);
  if (norm === 0) return model.alphas.map((a) => tf.zerosLike(a));
  const epsilon = 0.01 / norm;
  const at = (sign: 1 | -1) => {
    const w = model.weights.map((wi, i) => tf.add(wi, tf.mul(v[i]!, sign * epsilon)));
    return reduce(gradientsAt((...a: Tensor[]) => model.loss(batch, w, a, seed), model.alphas));
  };
  const plus = at(1);
  const minus = at(-1);
  return plus.map((p, i) => tf.div(tf.sub(p, minus[i]!), 2 * epsilon));
}
