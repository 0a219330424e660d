import { tf, type Tensor } from '../../numerics/tf.js';
import type { Random } from '../../util/random.js';

/**
 * Dirichlet samples with pathwise gradients, as torch's `Dirichlet.rsample` gives DrNAS: each
 * row x = G / ΣG with G_i ~ Gamma(c_i, 1), and dG/dc by implicit reparameterisation,
 * −(∂P(c, G)/∂c) / p(G; c), P the regularised lower incomplete gamma function (the CDF) and p
 * the density (Figurnov et al., NeurIPS 2018). The sampling and dG/dc are computed on the host
 * in float64 (the tables are small); the rest is tensors, so the gradient flows to α.
 */

/** ln Γ(z), Lanczos (g = 7, n = 9), for z > 0. */
export function lnGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  const x = z - 1;
  let a = c[0]!;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(a, x), the regularised lower incomplete gamma function: a series, or a continued fraction. */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const front = Math.exp(a * Math.log(x) - x - lnGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 500 && Math.abs(term) > 1e-16 * Math.abs(sum); n++) {
      term *= x / (a + n);
      sum += term;
    }
    return front * sum;
  }
  // Lentz's continued fraction for Q(a, x) = 1 − P(a, x).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = Math.abs(d) < tiny ? tiny : d;
    c = b + an / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 - front * h;
}

/** dG/da of a Gamma(a, 1) sample G: −(∂P/∂a)(a, G) / p(G; a), ∂P/∂a by central differences. */
export function gammaSampleGradient(a: number, g: number): number {
  const h = 1e-5 * Math.max(1, a);
  const dP =
    (gammaP(a + h, g) - gammaP(Math.max(a - h, 1e-12), g)) / (a + h - Math.max(a - h, 1e-12));
  const density = Math.exp((a - 1) * Math.log(g) - g - lnGamma(a));
  return -dP / density;
}

/** A Gamma(a, 1) draw: Marsaglia and Tsang, boosted by U^(1/a) below a = 1. */
export function sampleGamma(a: number, rng: Random): number {
  if (a < 1) return sampleGamma(a + 1, rng) * Math.pow(Math.max(rng.next(), 1e-300), 1 / a);
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v)))
      return Math.max(d * v, 1e-300);
  }
}

function standardNormal(rng: Random): number {
  const u = Math.max(rng.next(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * One Dirichlet sample per row of `concentration` ([rows, columns], positive), whose gradient
 * with respect to the concentration is the pathwise one.
 */
export function dirichletSample(concentration: Tensor, rng: Random): Tensor {
  const c = concentration.arraySync() as number[][];
  const g = c.map((row) => row.map((a) => sampleGamma(a, rng)));
  const dg = c.map((row, i) => row.map((a, j) => gammaSampleGradient(a, g[i]![j]!)));
  // G(c) to first order about the draw, G + dG/dc ⊙ (c − c₀): its value at c = c₀ is the draw,
  // its gradient the pathwise one, and x = G / ΣG carries both through the normalisation.
  const moved = tf.mul(tf.tensor2d(dg), tf.sub(concentration, tf.tensor2d(c)));
  const G = tf.add(tf.tensor2d(g), moved);
  return tf.div(G, tf.sum(G, 1, true));
}

/** ψ(z), the digamma function, for z > 0: recurrence up to 6, then its asymptotic series. */
export function digamma(z: number): number {
  let shift = 0;
  for (; z < 6; z++) shift -= 1 / z;
  const f = 1 / (z * z);
  return shift + Math.log(z) - 0.5 / z - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f / 240)));
}

/** ψ'(z), the trigamma function, for z > 0: recurrence up to 6, then its asymptotic series. */
export function trigamma(z: number): number {
  let shift = 0;
  for (; z < 6; z++) shift += 1 / (z * z);
  const f = 1 / (z * z);
  return shift + 1 / z + f / 2 + (f / z) * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f / 30)));
}

/**
 * KL(Dir(c) ‖ Dir(1)) of each row of `concentration`, summed, with its gradient
 * (c_j − 1)ψ'(c_j) − (c₀ − K)ψ'(c₀): DrNAS' `kl` regulariser towards the uniform anchor.
 * Computed on the host in float64 and joined to the graph to first order, as the samples are.
 */
export function klToUniform(concentration: Tensor): tf.Scalar {
  const c = concentration.arraySync() as number[][];
  let value = 0;
  const grad = c.map((row) => {
    const k = row.length;
    const c0 = row.reduce((s, v) => s + v, 0);
    value += lnGamma(c0) - row.reduce((s, v) => s + lnGamma(v), 0) - lnGamma(k);
    value += row.reduce((s, v) => s + (v - 1) * (digamma(v) - digamma(c0)), 0);
    return row.map((v) => (v - 1) * trigamma(v) - (c0 - k) * trigamma(c0));
  });
  const moved = tf.sum(tf.mul(tf.tensor2d(grad), tf.sub(concentration, tf.tensor2d(c))));
  return tf.add(moved, value) as tf.Scalar;
}
