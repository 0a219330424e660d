import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend, tf, type Tensor } from '../../src/numerics/tf.js';
import {
  digamma,
  dirichletSample,
  gammaP,
  klToUniform,
  trigamma,
  gammaSampleGradient,
  lnGamma,
  sampleGamma,
} from '../../src/runtime/methods/dirichlet.js';
import { Random } from '../../src/util/random.js';

/**
 * DrNAS' Dirichlet mixing against closed forms: the Gamma function and CDF at known values,
 * the Gamma sampler's moments, and the pathwise gradients, whose expectation is the gradient
 * of the expectation: E[dG/dc] = dE[G]/dc = 1, and E[∂x_i/∂c_j] = ∂(c_i/c₀)/∂c_j =
 * (δ_ij c₀ − c_i)/c₀². Without the reparameterisation the gradient is zero and these fail.
 */
beforeAll(async () => {
  await selectBackend('cpu');
});

const mean = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const stderr = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1) / xs.length);
};

describe('DrNAS: Gamma and Dirichlet', () => {
  it('computes ln Γ and the regularised incomplete gamma at known values', () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 10);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 10);
    // P(1, x) = 1 − e^−x; P(2, x) = 1 − (1 + x) e^−x; both sides of the series/fraction split.
    for (const x of [0.3, 1.5, 4, 9]) {
      expect(gammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 10);
      expect(gammaP(2, x)).toBeCloseTo(1 - (1 + x) * Math.exp(-x), 10);
    }
  });

  it('draws Gamma(c, 1) with mean c, and dG/dc with mean 1 (= dE[G]/dc)', () => {
    const rng = new Random(11);
    for (const c of [0.4, 1, 2.5]) {
      const g = Array.from({ length: 20000 }, () => sampleGamma(c, rng));
      expect(Math.abs(mean(g) - c)).toBeLessThan(4 * stderr(g));
      const d = g.map((v) => gammaSampleGradient(c, v));
      expect(Math.abs(mean(d) - 1)).toBeLessThan(4 * stderr(d));
    }
  });

  it('gives ∂x/∂c whose mean is ∂(c_i / c₀)/∂c_j', () => {
    const c = [0.7, 1.6, 3];
    const c0 = c.reduce((s, v) => s + v, 0);
    const rng = new Random(5);
    const n = 3000;
    // One row per draw, the same concentration in each: the Jacobian of Σ_i w_i x_i is w·J.
    const conc = tf.tensor2d(Array.from({ length: n }, () => c));
    const w = [1, -2, 0.5];
    const f = (k: Tensor) => tf.sum(tf.mul(dirichletSample(k, rng), tf.tensor1d(w)));
    const grads = tf.grad(f)(conc).arraySync() as number[][];
    for (let j = 0; j < 3; j++) {
      const column = grads.map((row) => row[j]!);
      const exact = w.reduce((s, wi, i) => s + (wi * ((i === j ? c0 : 0) - c[i]!)) / c0 ** 2, 0);
      expect(Math.abs(mean(column) - exact), `∂/∂c_${j}`).toBeLessThan(4 * stderr(column));
    }
  });

  it('samples rows on the simplex, each its own draw', () => {
    const x = dirichletSample(
      tf.tensor2d([
        [1, 1, 1],
        [1, 1, 1],
      ]),
      new Random(3),
    ).arraySync() as number[][];
    for (const row of x) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    expect(x[0]).not.toEqual(x[1]);
  });

  it('has the KL divergence to Dir(1) of the closed forms, and its gradient', () => {
    // ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2, ψ'(1) = π²/6, ψ'(1/2) = π²/2.
    const euler = 0.5772156649015329;
    expect(digamma(1)).toBeCloseTo(-euler, 8);
    expect(digamma(0.5)).toBeCloseTo(-euler - 2 * Math.log(2), 8);
    expect(trigamma(1)).toBeCloseTo(Math.PI ** 2 / 6, 8);
    expect(trigamma(0.5)).toBeCloseTo(Math.PI ** 2 / 2, 8);
    // KL(Dir(1) ‖ Dir(1)) = 0; KL(Dir(2, 1) ‖ Dir(1, 1)) = ln 2 − 1/2 (a Beta(2, 1) against the
    // uniform: E[ln 2x] = ln 2 + ψ(2) − ψ(3) = ln 2 − 1/2).
    expect(klToUniform(tf.tensor2d([[1, 1, 1]])).dataSync()[0]).toBeCloseTo(0, 10);
    expect(klToUniform(tf.tensor2d([[2, 1]])).dataSync()[0]).toBeCloseTo(Math.log(2) - 0.5, 6);
    const c = [0.7, 1.6, 3];
    const g = Array.from(
      tf
        .grad((x: Tensor) => klToUniform(x))(tf.tensor2d([c]))
        .dataSync(),
    );
    const at = (v: number[]) => klToUniform(tf.tensor2d([v])).dataSync()[0]!;
    c.forEach((_, j) => {
      const h = 1e-3;
      const up = c.map((v, i) => (i === j ? v + h : v));
      const down = c.map((v, i) => (i === j ? v - h : v));
      expect(g[j]!).toBeCloseTo((at(up) - at(down)) / (2 * h), 3);
    });
  });
});
