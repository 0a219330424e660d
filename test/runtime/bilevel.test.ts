import { describe, expect, it } from 'vitest';

import { selectBackend, tf, type Tensor } from '../../src/numerics/tf.js';
import {
  alphaGradient,
  finiteDifferenceHvp,
  type BilevelModel,
} from '../../src/runtime/bilevel.js';
import { Sgd } from '../../src/runtime/optim.js';

/**
 * The bilevel machinery against closed forms and exact derivatives (darts-semantics §13):
 * the paper's toy problem, and a small non-quadratic problem whose exact mixed Hessian-vector
 * product and exact unrolled gradient come from nested automatic differentiation here.
 */
await selectBackend('cpu');

const noMomentum = () => new Sgd({ momentum: 0, decay: 0, clip: 5 });

describe("runtime: the paper's toy bilevel problem (T2)", () => {
  // L_train(w, α) = (w − α)², L_val(w, α) = α·w − 2α + 1: the unrolled gradient is
  // g(α, w) = (w' − 2) + 2ξα with w' = w − 2ξ(w − α).
  const toy = (alpha: number, weight: number): BilevelModel<'train' | 'valid'> => ({
    weights: [tf.variable(tf.scalar(weight))],
    alphas: [tf.variable(tf.scalar(alpha))],
    loss: (batch, [w], [a]) =>
      (batch === 'train'
        ? tf.square(tf.sub(w!, a!))
        : tf.add(tf.sub(tf.mul(a!, w!), tf.mul(a!, 2)), 1)) as tf.Scalar,
  });
  const second = (xi: number, alpha = 2, weight = -2) =>
    alphaGradient(toy(alpha, weight), 'train', 'valid', {
      order: 'second',
      xi,
      sgd: noMomentum(),
      seed: 0,
    })[0]!.dataSync()[0]!;

  // The finite difference is exact for a quadratic up to float32 rounding: w± = −2 ± 0.01
  // carry ~1e-7 relative error, which the division by 2ε = 0.01 makes ~2e-5 in the result.
  it('gives the closed-form unrolled gradient at (α, w) = (2, −2) for ξ = 0, 0.1 and 0.5', () => {
    expect(second(0)).toBeCloseTo(-4, 5);
    expect(second(0.1)).toBeCloseTo(-2.8, 4);
    // Dropping the implicit term ξ·H·v would give 0 here (quark0/darts#116).
    expect(second(0.5)).toBeCloseTo(2, 4);
  });

  it('matches the closed form elsewhere too', () => {
    for (const [alpha, weight, xi] of [
      [0.5, 3, 0.2],
      [-1, 0.25, 0.05],
    ] as const) {
      const wPrime = weight - 2 * xi * (weight - alpha);
      expect(second(xi, alpha, weight)).toBeCloseTo(wPrime - 2 + 2 * xi * alpha, 4);
    }
  });

  it('reduces to the first-order gradient ∇α L_val(w, α) at ξ = 0', () => {
    const first = alphaGradient(toy(2, -2), 'train', 'valid', {
      order: 'first',
      xi: 0.3,
      sgd: noMomentum(),
      seed: 0,
    });
    expect(first[0]!.dataSync()[0]).toBeCloseTo(-4, 6);
  });

  it('computes H·v = −2v exactly for the quadratic training loss', () => {
    const hv = finiteDifferenceHvp(toy(2, -2), 'train', [tf.scalar(2)], 0);
    expect(hv[0]!.dataSync()[0]).toBeCloseTo(-4, 4);
  });
});

describe('runtime: finite-difference HVP on a non-quadratic problem', () => {
  // Weights W [3, 2] and b [2]; α [4] mixes four fixed functions of tanh(xW + b).
  const x = tf.tensor2d([
    [0.3, -0.7, 1.1],
    [0.9, 0.2, -0.4],
    [-1.2, 0.5, 0.8],
    [0.1, 0.1, -0.9],
  ]);
  const t = tf.tensor2d([
    [0.5, -0.2],
    [0.1, 0.4],
    [-0.3, 0.6],
    [0.2, 0.0],
  ]);
  const forward = (w: Tensor[], a: Tensor[]) => {
    const h = tf.tanh(tf.add(tf.matMul(x, w[0]!), w[1]!));
    const parts = [h, tf.square(h), tf.sin(h), tf.mul(h, 0.5)];
    const mix = tf.softmax(a[0]!);
    return tf.addN(parts.map((p, k) => tf.mul(p, tf.slice(mix, [k], [1]))));
  };
  const model: BilevelModel<'train' | 'valid'> = {
    weights: [
      tf.variable(
        tf.tensor2d([
          [0.2, -0.5],
          [0.7, 0.1],
          [-0.3, 0.4],
        ]),
      ),
      tf.variable(tf.tensor1d([0.05, -0.1])),
    ],
    alphas: [tf.variable(tf.tensor1d([0.1, -0.3, 0.2, 0.05]))],
    loss: (batch, w, a) => {
      const y = forward([...w], [...a]);
      return (
        batch === 'train' ? tf.mean(tf.square(tf.sub(y, t))) : tf.mean(tf.abs(tf.add(y, 1)))
      ) as tf.Scalar;
    },
  };
  const v = [
    tf.tensor2d([
      [0.3, 0.1],
      [-0.2, 0.5],
      [0.4, -0.1],
    ]),
    tf.tensor1d([0.2, -0.3]),
  ];

  it('agrees with the exact mixed Hessian-vector product (nested autodiff) to 1e-3', () => {
    // Exact: ∇α ⟨∇w L_train(w, α), v⟩.
    const exact = tf.grads((a: Tensor) => {
      const gw = tf.grads((...w: Tensor[]) => model.loss('train', w, [a], 0))([...model.weights]);
      return tf.addN(gw.map((g, i) => tf.sum(tf.mul(g, v[i]!)))) as tf.Scalar;
    })([model.alphas[0]!])[0]!;
    const fd = finiteDifferenceHvp(model, 'train', v, 0)[0]!;
    // float32 central differences cancel: about 1e-3 relative (darts-semantics §13).
    const scale = Math.max(...Array.from(exact.dataSync(), Math.abs));
    const diff = Math.max(
      ...Array.from(fd.dataSync(), (f, i) => Math.abs(f - exact.dataSync()[i]!)),
    );
    expect(diff / scale).toBeLessThan(1e-3);
  });

  it('gives the exact derivative of the unrolled validation loss (second order)', () => {
    const xi = 0.05;
    // d/dα L_val(w − ξ∇w L_train(w, α), α), exactly, with momentum and weight decay off.
    const exact = tf.grads((a: Tensor) => {
      const gw = tf.grads((...w: Tensor[]) => model.loss('train', w, [a], 0))([...model.weights]);
      const wPrime = model.weights.map((w, i) => tf.sub(w, tf.mul(gw[i]!, xi)));
      return model.loss('valid', wPrime, [a], 0);
    })([model.alphas[0]!])[0]!;
    const ours = alphaGradient(model, 'train', 'valid', {
      order: 'second',
      xi,
      sgd: noMomentum(),
      seed: 0,
    })[0]!;
    const scale = Math.max(...Array.from(exact.dataSync(), Math.abs));
    const diff = Math.max(
      ...Array.from(ours.dataSync(), (o, i) => Math.abs(o - exact.dataSync()[i]!)),
    );
    expect(diff / scale).toBeLessThan(1e-3);
  });
});
