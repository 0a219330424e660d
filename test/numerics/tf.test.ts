import { afterAll, describe, expect, it } from 'vitest';

import { selectBackend, tf, wasmHeapBytes } from '../../src/numerics/tf.js';

describe('numerics/tf: the wasm backend as dartsc sets it up', () => {
  afterAll(async () => {
    await selectBackend('wasm');
  });

  it('shares data in Identity (what autodiff runs on every saved tensor) instead of copying it', async () => {
    await selectBackend('wasm');
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const y = tf.engine().runKernel('Identity', { x }) as tf.Tensor;
    expect(y.dataId).toBe(x.dataId);
    x.dispose();
    // The data outlives the first of the two tensors, and is freed with the second.
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4]);
    const before = tf.memory().numTensors;
    y.dispose();
    expect(tf.memory().numTensors).toBe(before - 1);
  });

  it('keeps gradients through saved tensors right (a product saves both inputs)', async () => {
    await selectBackend('wasm');
    const [ga, gb] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.mul(a, b), a)))([
      tf.tensor([1, 2, 3]),
      tf.tensor([4, 5, 6]),
    ]);
    // d/da Σ a²b = 2ab, d/db = a².
    expect(Array.from(ga!.dataSync())).toEqual([8, 20, 36]);
    expect(Array.from(gb!.dataSync())).toEqual([1, 4, 9]);
  });

  it('reports the wasm heap on wasm only', async () => {
    await selectBackend('wasm');
    expect(wasmHeapBytes()).toBeGreaterThan(1e6);
    await selectBackend('cpu');
    expect(wasmHeapBytes()).toBeUndefined();
  });
});
