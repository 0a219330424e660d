import { tf, type Tensor, type Variable } from '../numerics/tf.js';
import type { Schedule } from '../elaborate/searchConfig.js';

/**
 * The two optimizers of DARTS, written out (darts-semantics §6.3, §6.4) because the search
 * needs what stock tfjs optimizers hide or do differently: the momentum buffers (for the
 * virtual step), coupled weight decay added after global-norm clipping, and PyTorch's epsilons.
 */

/**
 * The gradients of `params`, a missing one as zeros. tfjs gives no gradient (null, or no entry)
 * for a tensor the loss does not depend on: the preprocessor of a cell input that no edge
 * reads, the α rows of a node that reaches no output. PyTorch leaves such a `.grad` as None,
 * and `clip_grad_norm_` and the optimizers skip it; as zeros they add nothing to the clipping
 * norm or to any other tensor's step (docs/search.md, where dartsc differs).
 */
export function gradientsOrZeros(
  params: readonly Tensor[],
  grads: readonly (Tensor | null | undefined)[],
): Tensor[] {
  return params.map((p, i) => grads[i] ?? tf.zerosLike(p));
}

/**
 * The gradients of `f` at `xs`, as `tf.grads` computes them, but a tensor the loss does not
 * depend on gets zeros where `tf.grads` throws (`gradientsOrZeros`).
 */
export function gradientsAt(f: (...xs: Tensor[]) => tf.Scalar, xs: readonly Tensor[]): Tensor[] {
  return tf.tidy(() => {
    const { grads } = tf.engine().gradients(() => f(...xs), [...xs], undefined, true);
    return gradientsOrZeros(xs, grads);
  });
}

/** SGD with momentum (no dampening, no Nesterov), coupled weight decay and global-norm clipping. */
export class Sgd {
  /** Momentum buffers, one per weight, absent until the first step (PyTorch starts at zero). */
  buffers: Tensor[] | undefined;

  constructor(
    readonly options: { readonly momentum: number; readonly decay: number; readonly clip: number },
  ) {}

  /**
   * One step: clip the raw gradients by their global norm (scale clip/(norm + 1e-6) when
   * below 1), add decay·w, buf ← μ·buf + d, w ← w − lr·buf.
   */
  step(weights: readonly Variable[], grads: readonly Tensor[], lr: number): void {
    const { momentum, decay, clip } = this.options;
    const scale = clipScale(grads, clip);
    const next = tf.tidy(() =>
      weights.map((w, i) => {
        const d = tf.add(tf.mul(grads[i]!, scale), tf.mul(w, decay));
        return this.buffers ? tf.add(tf.mul(this.buffers[i]!, momentum), d) : d;
      }),
    );
    tf.dispose(this.buffers ?? []);
    this.buffers = next.map((b) => tf.keep(b));
    tf.tidy(() => weights.forEach((w, i) => w.assign(tf.sub(w, tf.mul(this.buffers![i]!, lr)))));
  }

  /** The second-order step's virtual weights: w − ξ·(μ·buf + g + λ·w), with the unclipped g. */
  virtual(weights: readonly Tensor[], grads: readonly Tensor[], xi: number): Tensor[] {
    const { momentum, decay } = this.options;
    return weights.map((w, i) => {
      const moment = this.buffers ? tf.mul(this.buffers[i]!, momentum) : tf.zerosLike(w);
      return tf.sub(w, tf.mul(tf.add(tf.add(moment, grads[i]!), tf.mul(w, decay)), xi));
    });
  }

  dispose(): void {
    tf.dispose(this.buffers ?? []);
    this.buffers = undefined;
  }
}

/** clip / (‖g‖ + 1e-6) over all tensors together when below 1, else 1. */
export function clipScale(grads: readonly Tensor[], clip: number): number {
  const norm = Math.sqrt(
    tf.tidy(() => tf.addN(grads.map((g) => tf.sum(tf.square(g)))).dataSync()[0]!),
  );
  const scale = clip / (norm + 1e-6);
  return scale < 1 ? scale : 1;
}

/** Adam with coupled L2 (g ← g + decay·α before the moments), bias correction, eps 1e-8. */
export class Adam {
  m: Tensor[] | undefined;
  v: Tensor[] | undefined;
  t = 0;

  constructor(
    readonly options: {
      readonly lr: number;
      readonly betas: readonly [number, number];
      readonly eps: number;
      readonly decay: number;
    },
  ) {}

  step(params: readonly Variable[], grads: readonly Tensor[]): void {
    const { lr, betas, eps, decay } = this.options;
    const [b1, b2] = betas;
    this.t++;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    const [m, v] = tf.tidy(() => {
      const g = params.map((p, i) => tf.add(grads[i]!, tf.mul(p, decay)));
      const m = g.map((gi, i) =>
        this.m ? tf.add(tf.mul(this.m[i]!, b1), tf.mul(gi, 1 - b1)) : tf.mul(gi, 1 - b1),
      );
      const v = g.map((gi, i) => {
        const sq = tf.mul(tf.square(gi), 1 - b2);
        return this.v ? tf.add(tf.mul(this.v[i]!, b2), sq) : sq;
      });
      return [m.map((t) => tf.keep(t)), v.map((t) => tf.keep(t))];
    });
    tf.dispose([...(this.m ?? []), ...(this.v ?? [])]);
    this.m = m;
    this.v = v;
    tf.tidy(() =>
      params.forEach((p, i) => {
        const denom = tf.add(tf.div(tf.sqrt(v[i]!), Math.sqrt(c2)), eps);
        p.assign(tf.sub(p, tf.mul(tf.div(m[i]!, denom), lr / c1)));
      }),
    );
  }

  dispose(): void {
    tf.dispose([...(this.m ?? []), ...(this.v ?? [])]);
    this.m = this.v = undefined;
  }
}

/**
 * The learning rate of epoch `e` (0-based). Cosine annealing follows the reference's
 * convention of stepping the scheduler at the start of the epoch: epoch e uses t = e + 1, so
 * the last epoch uses exactly the floor.
 */
export function learningRate(schedule: Schedule, epoch: number, epochs: number): number {
  if (schedule.kind === 'constant') return schedule.value;
  const T = schedule.epochs ?? epochs;
  return (
    schedule.min + 0.5 * (schedule.max - schedule.min) * (1 + Math.cos((Math.PI * (epoch + 1)) / T))
  );
}

/**
 * Whether the first epoch of a schedule already runs at a cosine's floor: with t = e + 1, epoch
 * 0 sits at `min` exactly when the period T is 1 (a one-epoch run, or `cosine(max, min, 1)`),
 * so a one-epoch run never sees the higher rates.
 */
export function startsAtFloor(schedule: Schedule, epochs: number): boolean {
  return (
    schedule.kind === 'cosine' &&
    schedule.max > schedule.min &&
    learningRate(schedule, 0, epochs) <= schedule.min
  );
}
