import { describe, expect, it } from 'vitest';

import { selectBackend, tf } from '../../src/numerics/tf.js';
import { alphaGradient, type BilevelModel } from '../../src/runtime/bilevel.js';
import { gradientsAt, learningRate, Sgd, startsAtFloor } from '../../src/runtime/optim.js';

/**
 * A tensor the loss does not depend on (the preprocessor of a cell input no edge reads) has
 * no gradient: PyTorch leaves `.grad` None and skips it; here it counts as zero, where
 * `tf.grads` would throw and the clipping would fail on a null (docs/reliability.md).
 */
await selectBackend('cpu');

describe('runtime: missing gradients', () => {
  it('gives zeros for an unused tensor and the usual gradient for the others', () => {
    const [used, unused] = [tf.tensor([1, 2]), tf.tensor([[3, 4]])];
    const loss = (a: tf.Tensor) => tf.sum(tf.square(a)) as tf.Scalar;
    expect(() => tf.grads((a: tf.Tensor, _b: tf.Tensor) => loss(a))([used, unused])).toThrow();
    const [g, zero] = gradientsAt((a) => loss(a!), [used, unused]);
    expect(Array.from(g!.dataSync())).toEqual([2, 4]);
    expect(zero!.shape).toEqual([1, 2]);
    expect(Array.from(zero!.dataSync())).toEqual([0, 0]);
  });

  it('runs a second-order α step over a model with an unused weight', () => {
    const model: BilevelModel<'train' | 'valid'> = {
      weights: [tf.variable(tf.scalar(1)), tf.variable(tf.tensor([5, 6]))],
      alphas: [tf.variable(tf.scalar(0.5)), tf.variable(tf.scalar(0.25))],
      loss: (batch, [w], [a]) =>
        (batch === 'train'
          ? tf.square(tf.sub(w!, a!))
          : tf.add(tf.sub(tf.mul(a!, w!), tf.mul(a!, 2)), 1)) as tf.Scalar,
    };
    const sgd = new Sgd({ momentum: 0.9, decay: 3e-4, clip: 5 });
    const [g, unusedAlpha] = alphaGradient(model, 'train', 'valid', {
      order: 'second',
      xi: 0.1,
      sgd,
      seed: 1,
    });
    expect(Number.isFinite(g!.dataSync()[0])).toBe(true);
    expect(unusedAlpha!.dataSync()[0]).toBe(0);
    // The same first weight's step as without the unused one: zeros add nothing to the norm.
    const grads = gradientsAt((w) => tf.mul(w!, 100) as tf.Scalar, model.weights);
    sgd.step(model.weights, grads, 0.1);
    expect(model.weights[0]!.dataSync()[0]).toBeCloseTo(
      1 - 0.1 * ((5 / (100 + 1e-6)) * 100 + 3e-4),
      5,
    );
  });
});

/**
 * With the reference's t = e + 1, epoch 0 of a cosine schedule sits at its floor when the
 * period is one epoch: `dartsc run --epochs 1` would search at 0.001 only, `dartsc train
 * --epochs 1` at 0. The API warns on exactly this condition.
 */
describe('runtime: a cosine schedule whose first epoch is at its floor', () => {
  const search = { kind: 'cosine' as const, max: 0.025, min: 0.001 };
  const retrain = { kind: 'cosine' as const, max: 0.025, min: 0 };

  it('holds for a period of one epoch, and only then', () => {
    expect(learningRate(search, 0, 1)).toBe(0.001);
    expect(startsAtFloor(search, 1)).toBe(true);
    expect(startsAtFloor(retrain, 1)).toBe(true);
    expect(startsAtFloor({ ...search, epochs: 1 }, 50)).toBe(true);
    for (const epochs of [2, 3, 50]) {
      expect(startsAtFloor(search, epochs), String(epochs)).toBe(false);
      expect(learningRate(search, 0, epochs)).toBeGreaterThan(0.001);
    }
    expect(startsAtFloor({ ...search, epochs: 2 }, 1)).toBe(false);
  });

  it('does not hold for a constant rate or a cosine without a range', () => {
    expect(startsAtFloor({ kind: 'constant', value: 0.01 }, 1)).toBe(false);
    expect(startsAtFloor({ kind: 'cosine', max: 0.01, min: 0.01 }, 1)).toBe(false);
  });
});
